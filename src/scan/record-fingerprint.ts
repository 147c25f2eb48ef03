import { hash } from 'node:crypto';

/**
 * A digest of one raw vendor record, so a scan can tell a record it already saw (and skipped as broken)
 * from a new one without keeping the record: broken records may carry evidence and must not be kept whole.
 * Not `contentHash` (src/store): that one hashes a mapped Incident, and a broken record never maps.
 */
export function recordFingerprint(raw: unknown): string {
  // JSON.stringify gives undefined (not text) for undefined, a function or a symbol; hash a fixed word then.
  return hash('sha256', JSON.stringify(raw) ?? 'undefined', 'base64url');
}
