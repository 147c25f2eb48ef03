import { createHash } from 'node:crypto';

/** A short hash of what someone typed, for idempotency keys: the key must not hold the text itself. */
export function fingerprintText(text: string): string {
  return text === '' ? '' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}
