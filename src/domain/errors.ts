/**
 * Error codes every vendor adapter maps its failures onto. The core and the chat layer branch on these
 * codes only, never on a vendor or an HTTP status.
 */
export const ADAPTER_ERROR_CODES = [
  'auth',
  'rate_limited',
  'unavailable',
  'not_found',
  'schema_mismatch',
  'unsupported',
  'rejected',
  'unknown',
] as const;
export type AdapterErrorCode = (typeof ADAPTER_ERROR_CODES)[number];

export interface AdapterError {
  code: AdapterErrorCode;
  /** Safe for logs and for the person who clicked: never a raw vendor payload, snippet or secret. */
  message: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  /** For `rate_limited`: how long the vendor asked us to wait. */
  retryAfterMs?: number;
  /** For `schema_mismatch`: zod issue paths and messages, never the offending values. */
  issues?: string[];
}

export function adapterError(
  code: AdapterErrorCode,
  message: string,
  extra: Omit<AdapterError, 'code' | 'message'> = {},
): AdapterError {
  return { code, message, ...extra };
}

/** A thrown form for code paths (iterators, transactions) where a Result cannot be returned. */
export class AdapterFailure extends Error {
  constructor(readonly error: AdapterError) {
    super(error.message);
    this.name = 'AdapterFailure';
  }
}

export function isAdapterError(value: unknown): value is AdapterError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AdapterError).code === 'string' &&
    (ADAPTER_ERROR_CODES as readonly string[]).includes((value as AdapterError).code) &&
    typeof (value as AdapterError).message === 'string'
  );
}
