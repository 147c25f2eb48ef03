import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import type { Logger } from '../../../src/log.js';
import type { AdapterDeps, IncidentPage, ListWindow, SourceResult } from '../../../src/ports.js';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { QueryWindow, SkyhighClient, SkyhighConfig } from './client.js';
import type { Lookup } from './lookup.js';
import { isOpen, mapIncident } from './map.js';
import { parseShnTime, ShnIncident } from './schema.js';

/** A safety net far above any real backlog: a server that never stops answering full pages gets cut off. */
const MAX_PAGES = 20_000;
export const DAY_MS = 86_400_000;

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

export interface ScanState {
  /** The latest timeModified received: with `complete`, every incident modified in [start, through] was seen. */
  throughMs: number;
  complete: boolean;
}

const field = (raw: unknown, key: string): unknown =>
  typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;

function modifiedMsOf(raw: unknown): number | null {
  const value = field(raw, 'timeModified');
  return typeof value === 'string' ? parseShnTime(value) : null;
}

/** One answer of queryIncidents, sorted against what the scan has seen. */
interface ReadPage<T extends Sighting> {
  page: ScanPage<T>;
  /** Records in the answer, broken and repeated ones included: fewer than `limit` ends the scan. */
  received: number;
  /** The latest timeModified in the answer. */
  lastMs: number | null;
  nextStartTime: string | null;
}

/**
 * Reads and sorts one answer. A function of its own so that the raw records are out of reach once it returns: the
 * pager is suspended while its consumer stores the page, and whatever its frame still held (the raw page was, for
 * its length) lived through that, long enough to be promoted to the old heap and raise the scan's peak memory.
 */
async function readPage<T extends Sighting>(
  client: SkyhighClient,
  config: SkyhighConfig,
  query: QueryWindow,
  keep: (record: ShnIncident) => T,
  seen: Map<string, number>,
  broken: Set<string>,
): Promise<SourceResult<ReadPage<T>>> {
  const response = await client.queryIncidents(query, config.limit);
  if (!response.ok) return response;
  const { incidents, nextStartTime } = response.value;
  const page: ScanPage<T> = { records: [], redelivered: [], skipped: 0, brokenIds: [] };
  let lastMs: number | null = null;
  for (const raw of incidents) {
    const modifiedMs = modifiedMsOf(raw);
    if (modifiedMs !== null) lastMs = Math.max(lastMs ?? modifiedMs, modifiedMs);
    const parsed = ShnIncident.safeParse(raw);
    if (!parsed.success) {
      // A repeated broken record is neither counted twice nor mistaken for progress.
      const print = recordFingerprint(raw);
      if (broken.has(print)) continue;
      broken.add(print);
      page.skipped += 1;
      const id = field(raw, 'incidentId');
      if (typeof id === 'string') page.brokenIds.push(id);
      continue;
    }
    const record = parsed.data;
    const before = seen.get(record.incidentId);
    seen.set(record.incidentId, Math.max(before ?? record.modifiedMs, record.modifiedMs));
    if (before === undefined) page.records.push(keep(record));
    else if (record.modifiedMs > before) page.redelivered.push(keep(record));
  }
  return ok({ page, received: incidents.length, lastMs, nextStartTime });
}

/**
 * Pages through queryIncidents by the time cursor, which always terminates:
 * - Results ascend by timeModified. The server's `nextStartTime` is the last item's time + 1 ms, which would skip
 *   incidents sharing that millisecond beyond the end of a full page (bulk changes do share one). So the next page
 *   starts AT the last item's time (inclusive) and the repeated boundary records are dropped by id.
 * - A page shorter than `limit` ends the scan (`limit` is at most the documented cap of 500).
 * - A full page with nothing new means the cursor cannot move inside one millisecond: step past it once (with a
 *   warning); a second such page in a row means the server ignores startTime, and the scan ends with an error.
 * Each valid record is yielded as `keep` turns it (the listing keeps the mapped incident, not the vendor's record).
 */
export async function* scanIncidents<T extends Sighting>(
  client: SkyhighClient,
  config: SkyhighConfig,
  window: QueryWindow,
  logger: Logger,
  state: ScanState,
  keep: (record: ShnIncident) => T,
): AsyncGenerator<SourceResult<ScanPage<T>>> {
  const seen = new Map<string, number>();
  const broken = new Set<string>();
  let cursor = window.startMs;
  let idle = 0;
  for (let pageNumber = 1; ; pageNumber += 1) {
    const read = await readPage(client, config, { startMs: cursor, endMs: window.endMs }, keep, seen, broken);
    if (!read.ok) {
      yield read;
      return;
    }
    const { page, received, lastMs, nextStartTime } = read.value;
    if (lastMs !== null) state.throughMs = Math.max(state.throughMs, lastMs);
    const progress = page.records.length + page.redelivered.length + page.skipped > 0;
    yield ok(page);
    if (received < config.limit) {
      state.complete = true;
      return;
    }
    const serverNext = nextStartTime ? parseShnTime(nextStartTime) : null;
    if (progress) {
      idle = 0;
      const next = lastMs ?? serverNext;
      if (next === null) {
        yield err(
          adapterError('schema_mismatch', 'queryIncidents: a full page with no timeModified and no nextStartTime', {
            issues: ['responseInfo.nextStartTime: missing'],
          }),
        );
        return;
      }
      cursor = Math.max(cursor, Math.min(next, serverNext ?? next));
    } else {
      idle += 1;
      if (idle >= 2) {
        yield err(
          stalledListing('queryIncidents', 'the server answers the same incidents whatever the startTime', seen.size),
        );
        return;
      }
      logger.warn(
        { source: config.id, at: new Date(cursor).toISOString(), limit: config.limit },
        'skyhigh: a full page of incidents shares one millisecond; paging past it (raise limit if this repeats)',
      );
      cursor = Math.max(cursor + 1, serverNext ?? cursor + 1);
    }
    if (window.endMs !== undefined && cursor >= window.endMs) {
      state.complete = true;
      return;
    }
    if (pageNumber >= MAX_PAGES) {
      yield err(adapterError('unavailable', `queryIncidents: stopped after ${pageNumber} pages`));
      return;
    }
  }
}

/**
 * Open incidents (new, opened and the in-review states), newest changes last. A full pass reads every incident
 * modified in the last `lookbackDays`; an incremental one every incident modified since `since`, which is a
 * superset of those created since then (timeModified >= timeCreated), so console changes to older incidents
 * arrive too. Closed ones are read (the server cannot filter on status) but not yielded.
 */
export async function* listOpenIncidents(
  client: SkyhighClient,
  config: SkyhighConfig,
  window: ListWindow,
  deps: AdapterDeps,
  lookup: Lookup,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const nowMs = deps.clock.now().getTime();
  const startMs = window.mode === 'incremental' ? window.since.getTime() : nowMs - config.lookbackDays * DAY_MS;
  const state: ScanState = { throughMs: startMs, complete: false };
  // Mapped as each record is read, so the vendor's records (and their evidence) are not held while pages are stored.
  const keep = (record: ShnIncident) => ({
    incidentId: record.incidentId,
    modifiedMs: record.modifiedMs,
    informationForm: record.informationForm,
    open: isOpen(record) ? mapIncident(record, config.id, config.consoleUrl) : null,
  });
  for await (const page of scanIncidents(client, config, { startMs }, deps.logger, state, keep)) {
    if (!page.ok) {
      yield page;
      return;
    }
    lookup.observe(page.value);
    const incidents = page.value.records.flatMap((r) => (r.open ? [r.open] : []));
    yield ok({ incidents, skipped: page.value.skipped, expectedTotal: null });
  }
  if (state.complete) lookup.recordSweep(startMs, state.throughMs);
}
