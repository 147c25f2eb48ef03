import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import type { Incident } from '../../../src/domain/incident.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import type { IncidentPage, ListWindow, SourceResult } from '../../../src/ports/index.js';
import { type RecentKeys, recentKeys } from '../../../src/scan/recent-keys.js';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { PaloAltoClient, PaloAltoConfig } from './client.js';
import { mapIncident } from './map.js';
import { PanListedIncident } from './schema.js';

/** A safety net far above any real backlog: a server that never stops answering full pages gets cut off. */
const MAX_PAGES_PER_STATUS = 20_000;

interface FetchedPage {
  page: IncidentPage;
  /** Records the server returned, valid or not: the offset advances by this. */
  received: number;
  total: number | null;
  /** Records not seen on the last few pages, valid or not: zero on a full page means the server repeats itself. */
  fresh: number;
}

/** What one listing received lately (`recentKeys`): valid records by id, broken ones by content (no usable id). */
interface Recent {
  ids: RecentKeys;
  broken: RecentKeys;
}

/**
 * Offset pagination that always terminates: it stops on a short page, when the offset reaches the
 * reported total, or, as a failed listing (`stalledListing`), when a full page brings nothing new (a server ignoring
 * `offset` or repeating itself).
 * Records repeated from the last few pages are dropped. The next page is requested while the caller stores this one.
 */
export async function* listOpenIncidents(
  client: PaloAltoClient,
  config: PaloAltoConfig,
  window: ListWindow,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const recent: Recent = { ids: recentKeys(), broken: recentKeys() };
  const startTime = window.mode === 'incremental' ? window.since.toISOString() : undefined;
  for (const status of config.listStatuses) {
    const fetchPage = (offset: number) => fetchAndMap(client, config, { status, offset, startTime }, recent);
    let offset = 0;
    let next = fetchPage(offset);
    for (let pageNumber = 1; ; pageNumber += 1) {
      const result = await next;
      if (!result.ok) {
        yield result;
        return;
      }
      const { page, received, total, fresh } = result.value;
      offset += received;
      const exhausted = received < config.pageSize || (total !== null && offset >= total);
      if (!exhausted && fresh === 0) {
        yield err(stalled(offset, total, recent.ids.kept()));
        return;
      }
      if (!exhausted && pageNumber >= MAX_PAGES_PER_STATUS) {
        yield err(adapterError('unavailable', `listIncidents: stopped after ${pageNumber} pages (total ${total})`));
        return;
      }
      if (!exhausted) next = fetchPage(offset);
      yield ok(page);
      if (exhausted) break;
    }
  }
}

/** `kept` counts the valid records kept, not the offset: repeats and broken records move the offset too. */
function stalled(offset: number, total: number | null, kept: number): AdapterError {
  const of = total === null ? '' : ` (offset ${offset} of ${total})`;
  return stalledListing('listIncidents', `the server ignored the paging offset${of} and only repeats`, kept);
}

async function fetchAndMap(
  client: PaloAltoClient,
  config: PaloAltoConfig,
  query: { status: string; offset: number; startTime: string | undefined },
  recent: Recent,
): Promise<Result<FetchedPage, AdapterError>> {
  const response = await client.listPage({ ...query, limit: config.pageSize });
  if (!response.ok) return response;
  recent.ids.nextPage();
  recent.broken.nextPage();
  const incidents: Incident[] = [];
  let skipped = 0;
  for (const raw of response.value.incidents) {
    const record = PanListedIncident.safeParse(raw);
    if (!record.success) {
      // A repeated broken record is neither counted twice nor mistaken for progress: with a server that
      // ignores the offset, a page of broken records would otherwise look new forever.
      if (recent.broken.addIfNew(recordFingerprint(raw))) skipped += 1;
      continue;
    }
    if (!recent.ids.addIfNew(record.data.incident_id)) continue;
    incidents.push(mapIncident(record.data, config.id, config.consoleUrl));
  }
  const total = response.value.total ?? null;
  return ok({
    page: { incidents, skipped, expectedTotal: total },
    received: response.value.incidents.length,
    total,
    fresh: incidents.length + skipped,
  });
}
