import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import type { AdapterDeps, IncidentPage, ListWindow, SourceResult } from '../../../src/ports/index.js';
import { recentKeys } from '../../../src/scan/recent-keys.js';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { PagePosition, TimeRange, ZwaClient } from './client.js';
import type { ZscalerConfig } from './config.js';
import { isOpen, mapIncident } from './map.js';
import { type ZwaCursor, ZwaIncident } from './schema.js';

export const DAY_MS = 86_400_000;
/** A safety net far above any real backlog (100 per page): a server that never says "last page" gets cut off. */
const MAX_PAGES = 20_000;

/** The documented stop rule: the last page by the cursor, or a page shorter than asked for. */
function isLastPage(cursor: ZwaCursor | null, page: number, received: number, pageSize: number): boolean {
  if (received < pageSize) return true;
  const totalPages = cursor?.totalPages;
  if (typeof totalPages === 'number') return (cursor?.currentPageNumber ?? page) >= totalPages - 1;
  return false;
}

/**
 * Open incidents in the time range, page by page. The first search is `page=0`; later ones send the `pageId`
 * it returned (faster paging, and the same result set) with the next page number. Records repeated from the last
 * few pages are dropped by `internalId`; broken ones are skipped and counted once. Closed ones (RESOLVED) are read but not yielded:
 * the documented filter names cover status, but only NEW and RESOLVED are known spellings, so filtering here
 * cannot hide an incident in a state we did not know about. `expectedTotal` is the cursor's `totalElements`,
 * so a long paced first scan shows how far it has got.
 */
export async function* listOpenIncidents(
  client: ZwaClient,
  config: ZscalerConfig,
  window: ListWindow,
  deps: AdapterDeps,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const endMs = deps.clock.now().getTime();
  const startMs = window.mode === 'incremental' ? window.since.getTime() : endMs - config.lookbackDays * DAY_MS;
  const range: TimeRange = { startMs, endMs };
  // The last few pages' keys (`recentKeys`), not the whole listing's: memory stays flat with the size of the source.
  const seen = recentKeys();
  const broken = recentKeys();
  let at: PagePosition = { page: 0 };
  let idle = 0;
  for (;;) {
    const response = await client.search(range, at, config.pageSize);
    if (!response.ok) {
      yield response;
      return;
    }
    const { cursor, incidents } = response.value;
    const page: IncidentPage = { incidents: [], skipped: 0, expectedTotal: cursor?.totalElements ?? null };
    let fresh = 0;
    seen.nextPage();
    broken.nextPage();
    for (const raw of incidents) {
      const parsed = ZwaIncident.safeParse(raw);
      if (!parsed.success) {
        // A broken record served twice (the same page read again) is counted once.
        if (broken.addIfNew(recordFingerprint(raw))) page.skipped += 1;
        continue;
      }
      const record = parsed.data;
      if (!seen.addIfNew(record.internalId)) continue;
      fresh += 1;
      if (isOpen(record)) page.incidents.push(mapIncident(record, config.id, config.consoleUrl));
    }
    yield ok(page);
    if (isLastPage(cursor, at.page, incidents.length, config.pageSize)) return;
    // Two full pages in a row with nothing new: the server is ignoring the page number; stop, don't loop.
    idle = fresh + page.skipped > 0 ? 0 : idle + 1;
    if (idle >= 2) {
      yield err(
        stalledListing('searchIncidents', 'the server answers the same page whatever page is asked for', seen.kept()),
      );
      return;
    }
    if (at.page + 1 >= MAX_PAGES) {
      yield err(adapterError('unavailable', `searchIncidents: stopped after ${MAX_PAGES} pages`));
      return;
    }
    at = { page: at.page + 1, pageId: cursor?.pageId ?? at.pageId };
  }
}
