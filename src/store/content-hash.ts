import type { Incident } from '../domain/incident.js';
import { canonicalJson, sha256hex } from './canonical-json.js';

/** Every canonical Incident field, and nothing else: store bookkeeping must never change the hash. */
const HASHED_FIELDS = [
  'source',
  'id',
  'severity',
  'status',
  'rawStatus',
  'createdAt',
  'updatedAt',
  'policy',
  'actor',
  'channel',
  'application',
  'fileName',
  'matchCount',
  'assignee',
  'link',
] as const satisfies readonly (keyof Incident)[];

/**
 * sha256 of the incident's canonical JSON (fixed keys, dates as ISO strings). The scan compares it with
 * the stored hash to tell a real change at the vendor from a rescan of the same record.
 */
export function contentHash(incident: Incident): string {
  const fields: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) fields[field] = incident[field] ?? null;
  return sha256hex(canonicalJson(fields));
}
