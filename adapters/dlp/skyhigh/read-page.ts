import { ok } from '../../../src/domain/result.js';
import type { SourceResult } from '../../../src/ports/index.js';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';
import type { QueryWindow, SkyhighClient } from './client.js';
import { parseShnTime, ShnIncident } from './schema.js';

/** What the lookup remembers of a record it was shown. */
export interface Sighting {
  incidentId: string;
  modifiedMs: number;
  informationForm: ShnIncident['informationForm'];
}

export interface ScanPage<T extends Sighting = ShnIncident> {
  /** Valid records not seen before in this scan, in the server's order, as the caller's `keep` made them. */
  records: T[];
  /** Valid records seen before in this scan, now with a later timeModified: changed while we paged. */
  redelivered: T[];
  /** Broken records not seen before (skipped and counted, never fatal). */
  skipped: number;
  /** The `incidentId` of each of those broken records, where it has one. */
  brokenIds: string[];
}

/** What one scan has seen so far: ids with their latest timeModified, and fingerprints of broken records. */
export interface Seen {
  ids: Map<string, number>;
  broken: Set<string>;
}

/** One answer of queryIncidents, sorted against what the scan has seen. */
export interface ReadPage<T extends Sighting> {
  page: ScanPage<T>;
  /** Records in the answer, broken and repeated ones included: as many as `limit` means there may be more. */
  received: number;
  /** The earliest and latest timeModified in the answer: equal on a page inside one millisecond. */
  firstMs: number | null;
  lastMs: number | null;
  nextStartTime: string | null;
  /** Valid records new to the scan or changed since it saw them, and broken ones new to it. */
  progress: boolean;
}

const field = (raw: unknown, key: string): unknown =>
  typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;

function modifiedMsOf(raw: unknown): number | null {
  const value = field(raw, 'timeModified');
  return typeof value === 'string' ? parseShnTime(value) : null;
}

/**
 * Reads and sorts one answer. A function of its own so that the raw records are out of reach once it returns: the
 * pager is suspended while its consumer stores the page, and whatever its frame still held (the raw page was, for
 * its length) lived through that, long enough to be promoted to the old heap and raise the scan's peak memory.
 */
export async function readPage<T extends Sighting>(
  client: SkyhighClient,
  query: QueryWindow,
  limit: number,
  keep: (record: ShnIncident) => T,
  seen: Seen,
): Promise<SourceResult<ReadPage<T>>> {
  const response = await client.queryIncidents(query, limit);
  if (!response.ok) return response;
  const { incidents, nextStartTime } = response.value;
  const page: ScanPage<T> = { records: [], redelivered: [], skipped: 0, brokenIds: [] };
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  for (const raw of incidents) {
    const modifiedMs = modifiedMsOf(raw);
    if (modifiedMs !== null) {
      firstMs = Math.min(firstMs ?? modifiedMs, modifiedMs);
      lastMs = Math.max(lastMs ?? modifiedMs, modifiedMs);
    }
    const parsed = ShnIncident.safeParse(raw);
    if (!parsed.success) {
      // A repeated broken record is neither counted twice nor mistaken for progress.
      const print = recordFingerprint(raw);
      if (seen.broken.has(print)) continue;
      seen.broken.add(print);
      page.skipped += 1;
      const id = field(raw, 'incidentId');
      if (typeof id === 'string') page.brokenIds.push(id);
      continue;
    }
    const record = parsed.data;
    const before = seen.ids.get(record.incidentId);
    seen.ids.set(record.incidentId, Math.max(before ?? record.modifiedMs, record.modifiedMs));
    if (before === undefined) page.records.push(keep(record));
    else if (record.modifiedMs > before) page.redelivered.push(keep(record));
  }
  const progress = page.records.length + page.redelivered.length + page.skipped > 0;
  return ok({ page, received: incidents.length, firstMs, lastMs, nextStartTime, progress });
}
