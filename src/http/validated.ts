import type { z } from 'zod';
import { type AdapterError, adapterError } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';

/** Parses one vendor response body with its zod schema; `op` names the call in the error. */
export type ResponseValidator = <S extends z.ZodType>(
  schema: S,
  op: string,
  body: unknown,
) => Result<z.infer<S>, AdapterError>;

/** How many zod issues an error carries: enough to see what changed at the vendor, short enough to log. */
const MAX_ISSUES = 10;

/**
 * The boundary check every vendor client runs on a response body: a mismatch is the typed `schema_mismatch`
 * error, worded "<op>: the response did not match the <api> API schema", so `api` is the vendor's own name
 * for its API (e.g. `Enforce`, `ZWA`).
 */
export function responseValidator(api: string): ResponseValidator {
  return (schema, op, body) => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return ok(parsed.data);
    // Issue paths and messages only: the offending values may be tokens or evidence and never reach a log.
    const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return err(adapterError('schema_mismatch', `${op}: the response did not match the ${api} API schema`, { issues }));
  };
}
