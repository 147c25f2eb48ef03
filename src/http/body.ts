import type { Dispatcher } from 'undici';
import { adapterError } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';
import { type AttemptFailure, failureForNetworkError } from './status-table.js';

type ResponseBody = Dispatcher.ResponseData['body'];

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Statuses that never carry a body, whatever the caller expected. */
const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Releases the connection. An unread body keeps its socket busy until bodyTimeout, so every path ends here or
 * in a full read. dump() reads a bounded amount, then destroys the socket instead of reading on.
 */
export async function discardBody(body: ResponseBody): Promise<void> {
  try {
    await body.dump();
  } catch {
    // The socket is gone either way, which is all we needed; the status already told us what happened.
  }
}

/** Reads the whole body, or destroys it as soon as it is known to exceed `limit`. Network errors throw. */
async function readLimited(body: ResponseBody, limit: number, contentLength: unknown): Promise<Buffer | 'too_large'> {
  if (typeof contentLength === 'string' && Number(contentLength) > limit) {
    body.destroy();
    return 'too_large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return 'too_large';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export interface ReadBodyOptions {
  expect: 'json' | 'empty' | 'text';
  maxBytes: number;
  /** "METHOD op", for messages. */
  label: string;
}

export async function readResponseBody(
  response: Dispatcher.ResponseData,
  options: ReadBodyOptions,
): Promise<Result<unknown, AttemptFailure>> {
  const { expect, maxBytes, label } = options;
  if (expect === 'empty' || NO_BODY_STATUSES.has(response.statusCode)) {
    await discardBody(response.body);
    return ok(undefined);
  }
  let bytes: Buffer | 'too_large';
  try {
    bytes = await readLimited(response.body, maxBytes, response.headers['content-length']);
  } catch (error) {
    response.body.destroy();
    return err(failureForNetworkError(error, label));
  }
  if (bytes === 'too_large') {
    const error = adapterError('unknown', `${label}: response larger than ${maxBytes} bytes`, {
      status: response.statusCode,
    });
    return err({ error, transience: 'none', reason: 'too_large' });
  }
  const text = bytes.toString('utf8');
  if (expect === 'text') return ok(text);
  try {
    return ok(JSON.parse(text));
  } catch {
    // The parser's message quotes the body, so it must not reach the error.
    const error = adapterError(
      'schema_mismatch',
      `${label}: vendor answered ${response.statusCode} with invalid JSON`,
      {
        status: response.statusCode,
        issues: ['body: not valid JSON'],
      },
    );
    return err({ error, transience: 'none', reason: 'invalid_json' });
  }
}
