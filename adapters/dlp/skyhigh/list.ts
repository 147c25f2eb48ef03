import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import type { Logger } from '../../../src/log.js';
import type { AdapterDeps, IncidentPage, ListWindow, SourceResult } from '../../../src/ports/index.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { QueryWindow, SkyhighClient } from './client.js';
import type { SkyhighConfig } from './config.js';
import type { Lookup } from './lookup.js';
import { isOpen, mapIncident } from './map.js';
import { MAX_QUERY_LIMIT } from './names.js';
import { readPage, type ScanPage, type Seen, type Sighting } from './read-page.js';
import { parseShnTime, type ShnIncident } from './schema.js';

export type { ScanPage, Sighting } from './read-page.js';

/** A safety net far above any real backlog: a server that never stops answering full pages gets cut off. */
const MAX_PAGES = 20_000;
export const DAY_MS = 86_400_000;

export interface ScanState {
  /** The latest timeModified received: with `complete`, every incident modified in [start, through] was seen. */
  throughMs: number;
  complete: boolean;
}

/**
 * More incidents share one timeModified than the largest page holds. startTime is the API's only cursor and a
 * millisecond its finest step (§2.2), so the rest of that millisecond cannot be read. The listing says so instead
 * of skipping them: the scan reports the source failed and keeps its watermark, so the next scan reads it again
 * (and gets through once a change has moved some of those incidents out of that millisecond).
 */
export function millisecondOverflow(firstMs: number, milliseconds: number, readSoFar: number): AdapterError {
  const first = new Date(firstMs).toISOString();
  const more = milliseconds > 1 ? ` (and ${milliseconds - 1} more milliseconds like it)` : '';
  return adapterError(
    'unsupported',
    `queryIncidents: more than ${MAX_QUERY_LIMIT} incidents share the timeModified ${first}${more}, and the API ` +
      `pages by time only, at most ${MAX_QUERY_LIMIT} per query, so the rest of that millisecond cannot be read; ` +
      `the listing is incomplete (${readSoFar} records read are kept) and the next scan tries again`,
    { issues: ['paging: more incidents in one millisecond than one page holds'] },
  );
}

type Whole = 'read' | 'overflow' | 'failed';

/**
 * Reads the millisecond `ms` alone, [ms, ms + 1), with the largest page the API documents, after a full page
 * that held nothing else. A page that big and still full is an overflow (the configured page already was the
 * largest: no second request).
 */
async function* readMillisecond<T extends Sighting>(
  client: SkyhighClient,
  config: SkyhighConfig,
  ms: number,
  window: QueryWindow,
  keep: (record: ShnIncident) => T,
  seen: Seen,
  logger: Logger,
): AsyncGenerator<SourceResult<ScanPage<T>>, Whole> {
  if (config.limit >= MAX_QUERY_LIMIT) return 'overflow';
  logger.info(
    { at: new Date(ms).toISOString(), limit: MAX_QUERY_LIMIT },
    'skyhigh: a full page of incidents shares one millisecond; reading that millisecond alone',
  );
  const query = { startMs: ms, endMs: Math.min(ms + 1, window.endMs ?? ms + 1) };
  const read = await readPage(client, query, MAX_QUERY_LIMIT, keep, seen);
  if (!read.ok) {
    yield read;
    return 'failed';
  }
  yield ok(read.value.page);
  return read.value.received >= MAX_QUERY_LIMIT ? 'overflow' : 'read';
}

/**
 * Pages through queryIncidents by the time cursor, which always terminates and never skips a record unsaid:
 * - Results ascend by timeModified. The server's `nextStartTime` is the last item's time + 1 ms, which would skip
 *   incidents sharing that millisecond beyond the end of a full page (bulk changes do share one). So the next page
 *   starts AT the last item's time (inclusive) and the repeated boundary records are dropped by id.
 * - A page shorter than `limit` ends the scan (`limit` is at most the documented cap of 500).
 * - A full page inside one millisecond cannot move that cursor: the millisecond is read alone with the largest
 *   page, and paging goes on after it. If even that page is full, the millisecond holds more than the API can
 *   return: paging still goes on after it (later incidents are listed), and the scan ends with that error.
 * - A full page with nothing new means the server ignores startTime: the scan ends with an error.
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
  const seen: Seen = { ids: new Map(), broken: new Set() };
  const overflowed: number[] = [];
  let cursor = window.startMs;
  for (let pageNumber = 1; ; pageNumber += 1) {
    const read = await readPage(client, { startMs: cursor, endMs: window.endMs }, config.limit, keep, seen);
    if (!read.ok) {
      yield read;
      return;
    }
    const { page, received, firstMs, lastMs, nextStartTime, progress } = read.value;
    if (lastMs !== null) state.throughMs = Math.max(state.throughMs, lastMs);
    yield ok(page);
    if (received < config.limit) break;
    if (!progress) {
      const why = 'the server answers the same incidents whatever the startTime';
      yield err(stalledListing('queryIncidents', why, seen.ids.size));
      return;
    }
    if (lastMs !== null && firstMs === lastMs) {
      const whole = yield* readMillisecond(client, config, lastMs, window, keep, seen, logger);
      if (whole === 'failed') return;
      if (whole === 'overflow') overflowed.push(lastMs);
      cursor = lastMs + 1;
    } else {
      const serverNext = nextStartTime ? parseShnTime(nextStartTime) : null;
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
    }
    if (window.endMs !== undefined && cursor >= window.endMs) break;
    if (pageNumber >= MAX_PAGES) {
      yield err(adapterError('unavailable', `queryIncidents: stopped after ${pageNumber} pages`));
      return;
    }
  }
  const firstOverflow = overflowed[0];
  if (firstOverflow === undefined) state.complete = true;
  else yield err(millisecondOverflow(firstOverflow, overflowed.length, seen.ids.size));
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
