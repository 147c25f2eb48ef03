import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from '../../simulator-kit/respond.js';

/** Spring's HttpStatus names, as a serialised `ResponseEntity` spells `statusCode`. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export const SOURCE_NAME = 'shnapi-sim-1';

export interface ShnError {
  code: number;
  message: string;
  target: string | null;
  details: ShnError[];
}

export interface ResponseInfo {
  actualLimit: number;
  apiElapsedMillis: number;
  error: ShnError | null;
  nextOffset: null;
  nextStartTime: string | null;
  source: string;
}

export function responseInfo(fields: Partial<ResponseInfo> = {}): ResponseInfo {
  return {
    actualLimit: 0,
    apiElapsedMillis: 3,
    error: null,
    nextOffset: null,
    nextStartTime: null,
    source: SOURCE_NAME,
    ...fields,
  };
}

/** How responses leave the simulator; two quirks change it (see quirks.ts). */
export interface Envelope {
  /** Serialised `ResponseEntity` around `body` (the documented form) unless the `unwrapped` quirk is on. */
  send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
  /** An error in the documented place, `responseInfo.error`; `kind` says what the body of this route is. */
  error(
    res: ServerResponse,
    status: number,
    message: string,
    options?: { target?: string; headers?: Record<string, string>; kind?: 'query' | 'info' },
  ): void;
  /** A 200 cut off mid-document (the invalidJson quirk). */
  truncated(res: ServerResponse, body: unknown): void;
}

export function createEnvelope(quirks: { unwrapped?: boolean; errorsInBody?: boolean }): Envelope {
  const wrap = (status: number, body: unknown) =>
    quirks.unwrapped
      ? body
      : { headers: {}, statusCode: STATUS_NAMES[status] ?? String(status), statusCodeValue: status, body };
  const send: Envelope['send'] = (res, status, body, headers = {}) => {
    // errorsInBody: the gateway answers 200 and only the serialised entity carries the real status.
    sendJson(res, quirks.errorsInBody ? 200 : status, wrap(status, body), headers);
  };
  return {
    send,
    error(res, status, message, options = {}) {
      const error: ShnError = { code: status, message, target: options.target ?? null, details: [] };
      const info = responseInfo({ error });
      send(res, status, options.kind === 'query' ? { responseInfo: info, incidents: null } : info, options.headers);
    },
    truncated(res, body) {
      const text = JSON.stringify(wrap(200, body));
      sendText(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), 'application/json');
    },
  };
}
