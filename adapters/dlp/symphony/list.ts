import type { z } from 'zod';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import type { AdapterDeps, IncidentPage, ListWindow, SourceResult } from '../../../src/ports/index.js';
import { type RecentKeys, recentKeys } from '../../../src/scan/recent-keys.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { SymphonyClient } from './client.js';
import type { SymphonyConfig } from './config.js';
import type { Lookup } from './lookup.js';
import { mapViolation } from './map.js';
import { SymListedItem, type ViolationKind } from './schema.js';
import type { SeverityRule } from './severity.js';

/** A safety net far above any real backlog: a server that never stops handing out cursors gets cut off. */
const MAX_PAGES = 20_000;
export const DAY_MS = 86_400_000;

export interface ScanWindow {
  startMs: number;
  endMs: number;
}

export interface ScanPage<Item> {
  /** Valid violations not seen before in this scan, in the server's order. */
  records: { kind: ViolationKind; item: Item }[];
  /** Items that failed validation (skipped and counted, never fatal). */
  skipped: number;
}

/**
 * Pages one violation endpoint by Symphony's `next` cursor, which always terminates: the scan ends on a null or ""
 * `nextOffset`, on a 204, on an empty page, on a cursor handed out twice in a row, or after MAX_PAGES. Items repeated
 * from the last few pages are dropped by `enforcementEventID` (`seen`, shared by every endpoint of one listing).
 */
export async function* scanViolations<Item extends SymListedItem>(
  client: SymphonyClient,
  config: SymphonyConfig,
  kind: ViolationKind,
  window: ScanWindow,
  seen: RecentKeys,
  schema: z.ZodType<Item>,
): AsyncGenerator<SourceResult<ScanPage<Item>>> {
  let next: string | undefined;
  for (let pageNumber = 1; ; pageNumber += 1) {
    const response = await client.listViolations(kind, { ...window, limit: config.limit, next });
    if (!response.ok) {
      yield response;
      return;
    }
    const page: ScanPage<Item> = { records: [], skipped: 0 };
    seen.nextPage();
    for (const raw of response.value.violations) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        page.skipped += 1;
        continue;
      }
      const id = parsed.data.violation.enforcementEventID;
      if (!seen.addIfNew(id)) continue;
      page.records.push({ kind, item: parsed.data });
    }
    yield ok(page);
    const cursor = response.value.next;
    if (cursor === null || response.value.violations.length === 0) return;
    if (cursor === next) {
      yield err(stalledListing(`listViolations.${kind}`, 'Symphony returned the same nextOffset twice', seen.kept()));
      return;
    }
    if (pageNumber >= MAX_PAGES) {
      yield err(adapterError('unavailable', `listViolations.${kind}: stopped after ${pageNumber} pages`));
      return;
    }
    next = cursor;
  }
}

/**
 * Every violation of the configured kinds is an incident awaiting triage (Symphony has no status to close one).
 * A full pass reads the last `lookbackDays`; an incremental one everything created since `since`. Both end at the
 * same `now`, fixed once, so the three endpoints describe one moment.
 */
export async function* listViolations(
  client: SymphonyClient,
  config: SymphonyConfig,
  window: ListWindow,
  deps: AdapterDeps,
  lookup: Lookup,
  severityOf: SeverityRule,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const endMs = deps.clock.now().getTime();
  const sinceMs = window.mode === 'incremental' ? window.since.getTime() : endMs - config.lookbackDays * DAY_MS;
  // A watermark ahead of our clock (skew between hosts) would be a 400 for startTime after endTime.
  const startMs = Math.max(0, Math.min(sinceMs, endMs));
  const seen = recentKeys();
  for (const kind of config.kinds) {
    for await (const page of scanViolations(client, config, kind, { startMs, endMs }, seen, SymListedItem)) {
      if (!page.ok) {
        yield page;
        return;
      }
      for (const record of page.value.records) lookup.remember(record);
      const incidents = page.value.records.map((r) => mapViolation(r, config.id, severityOf));
      yield ok({ incidents, skipped: page.value.skipped, expectedTotal: null });
    }
  }
}
