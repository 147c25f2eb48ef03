import { type AdapterError, type AdapterErrorCode, adapterError } from '../domain/errors.js';

/**
 * Why another attempt might succeed; the retry loop decides from this alone.
 * - `unauthorized`: a 401, worth one more try with a fresh token.
 * - `rate_limited`: a 429 means the request was not processed, so any method may repeat it.
 * - `not_sent`: failed while connecting, before a byte of the request left, so any method may repeat it.
 * - `transient`: 5xx, timeouts and resets; the vendor may have acted, so only idempotent requests repeat.
 */
export type Transience = 'none' | 'unauthorized' | 'rate_limited' | 'not_sent' | 'transient';

export interface AttemptFailure {
  error: AdapterError;
  transience: Transience;
  /** Short and safe for logs: a status or an error code, never a message from the wire. */
  reason: string;
}

/** The one place an HTTP status becomes an error code (5xx and everything unlisted are handled below). */
const STATUS_TABLE: Readonly<Record<number, AdapterErrorCode>> = {
  400: 'rejected',
  409: 'rejected',
  422: 'rejected',
  401: 'auth',
  403: 'auth',
  404: 'not_found',
  429: 'rate_limited',
};

export function codeForStatus(status: number): AdapterErrorCode {
  return STATUS_TABLE[status] ?? (status >= 500 && status <= 599 ? 'unavailable' : 'unknown');
}

function transienceForStatus(status: number): Transience {
  if (status === 401) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  return status >= 500 && status <= 599 ? 'transient' : 'none';
}

/** `label` is "METHOD op"; messages carry it and the status, never a body. */
export function failureForStatus(status: number, label: string, retryAfterMs?: number): AttemptFailure {
  const extra = retryAfterMs === undefined ? { status } : { status, retryAfterMs };
  return {
    error: adapterError(codeForStatus(status), `${label}: vendor answered ${status}`, extra),
    transience: transienceForStatus(status),
    reason: `status ${status}`,
  };
}

/** Connection never established, so the vendor cannot have seen the request. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Failed after the request may have reached the vendor. */
const TRANSIENT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Our own pool is shutting down: unavailable, and retrying would only fail again. */
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Node and undici put a stable `code` on the error, on its `cause`, or on the first of an AggregateError. */
export function networkErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (cause !== undefined && cause !== error) {
    const fromCause = networkErrorCode(cause);
    if (fromCause) return fromCause;
  }
  return Array.isArray(errors) && errors.length > 0 ? networkErrorCode(errors[0]) : undefined;
}

export function failureForNetworkError(error: unknown, label: string): AttemptFailure {
  const code = networkErrorCode(error);
  const reason = code ?? 'network_error';
  if (code && (CONNECT_CODES.has(code) || TRANSIENT_CODES.has(code))) {
    const what = TIMEOUT_CODES.has(code) ? 'vendor timed out' : 'vendor unreachable';
    return {
      error: adapterError('unavailable', `${label}: ${what} (${code})`),
      transience: CONNECT_CODES.has(code) ? 'not_sent' : 'transient',
      reason,
    };
  }
  if (code && CLOSED_CODES.has(code)) {
    return { error: adapterError('unavailable', `${label}: HTTP client is closed`), transience: 'none', reason };
  }
  return { error: adapterError('unknown', `${label}: request failed (${reason})`), transience: 'none', reason };
}
