import { type AdapterError, adapterError } from '../../../../src/domain/errors.js';
import { CLOSED_STATUSES, type Incident } from '../../../../src/domain/incident.js';
import { err, ok, type Result } from '../../../../src/domain/result.js';
import type { Logger } from '../../../../src/log.js';
import type { Clock, IncidentPage, ListWindow, SourceResult } from '../../../../src/ports/index.js';
import { recordFingerprint } from '../../../../src/scan/record-fingerprint.js';
import { stalledListing } from '../../../../src/scan/stalled-listing.js';
import type { PublishedConfig } from '../config.js';
import type { AssigneeDirectory } from './assignees.js';
import type { PublishedClient } from './client.js';
import { type MapContext, mapPublishedIncident } from './map.js';
import { PubIncident } from './schema.js';

const DAY_MS = 86_400_000;
/** A safety net far above any real backlog: a server that never stops answering full pages gets cut off. */
const MAX_PAGES = 20_000;
/** Detail reads in flight at once; the HTTP pool has four connections by default. */
const DETAIL_CONCURRENCY = 4;

export interface ListDeps {
  client: PublishedClient;
  assignees: AssigneeDirectory;
  config: PublishedConfig;
  clock: Clock;
  logger: Logger;
}

/**
 * The v2 list has no status filter and no status field, so every listed incident's detail is read to learn its
 * resolution and feedback state (one extra request per incident) and closed ones are dropped. Full scans look
 * back `lookbackDays`; incremental ones start at the watermark. Pages are numbered from whatever base the
 * server answers with (`page.number`), oldest first; paging stops on a short or empty page, at the reported
 * total, or when a full page brings nothing new.
 */
export async function* listOpenPublished(
  deps: ListDeps,
  window: ListWindow,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const { client, config } = deps;
  const since =
    window.mode === 'incremental' ? window.since : new Date(deps.clock.now().getTime() - config.lookbackDays * DAY_MS);
  const emails = await deps.assignees.emailsById();
  if (!emails.ok) {
    yield emails;
    return;
  }
  const ctx: MapContext = {
    source: config.id,
    severity: config.severity,
    consoleUrl: config.consoleUrl,
    assignees: emails.value,
  };
  const seen = new Set<string>();
  let pageNumber = 0;
  let received = 0;
  for (let pages = 1; ; pages += 1) {
    const response = await client.listPage({ pageNumber, pageSize: config.pageSize, startTime: since.toISOString() });
    if (!response.ok) {
      yield response;
      return;
    }
    const resources = response.value.resources ?? [];
    const total = response.value.page.total_elements ?? null;
    const page = await readDetails(deps, ctx, resources, seen);
    if (!page.ok) {
      yield page;
      return;
    }
    received += resources.length;
    const exhausted = resources.length < config.pageSize || (total !== null && received >= total);
    if (!exhausted && page.value.fresh === 0) {
      yield err(stalledListing('listIncidents', `the server repeats page ${pageNumber}`, seen.size));
      return;
    }
    if (!exhausted && pages >= MAX_PAGES) {
      yield err(adapterError('unavailable', `listIncidents: stopped after ${pages} pages (total ${total})`));
      return;
    }
    yield ok({ incidents: page.value.incidents, skipped: page.value.skipped, expectedTotal: total });
    if (exhausted) return;
    pageNumber = (response.value.page.number ?? pageNumber) + 1;
  }
}

interface DetailedPage {
  incidents: Incident[];
  skipped: number;
  /** Records not seen before in this listing, valid or not. */
  fresh: number;
}

async function readDetails(
  deps: ListDeps,
  ctx: MapContext,
  resources: unknown[],
  seen: Set<string>,
): Promise<Result<DetailedPage, AdapterError>> {
  const out: DetailedPage = { incidents: [], skipped: 0, fresh: 0 };
  const ids: string[] = [];
  for (const raw of resources) {
    const record = PubIncident.safeParse(raw);
    // Broken records have no usable id; a digest (never the record, which may carry evidence) dedupes them.
    const key = record.success ? record.data.incident_id : `broken:${recordFingerprint(raw)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.fresh += 1;
    if (record.success) ids.push(record.data.incident_id);
    else out.skipped += 1;
  }
  for (let i = 0; i < ids.length; i += DETAIL_CONCURRENCY) {
    const details = await Promise.all(ids.slice(i, i + DETAIL_CONCURRENCY).map((id) => deps.client.getIncident(id)));
    for (const detail of details) {
      if (!detail.ok) {
        // Gone between the list and the detail read: nothing to triage. A broken detail is skipped and counted.
        if (detail.error.code === 'not_found') continue;
        if (detail.error.code === 'schema_mismatch') {
          out.skipped += 1;
          continue;
        }
        return detail;
      }
      const incident = mapPublishedIncident(detail.value, ctx);
      if (!CLOSED_STATUSES.has(incident.status)) out.incidents.push(incident);
    }
  }
  return ok(out);
}
