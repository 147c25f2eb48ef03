import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import type { Incident } from '../../../src/domain/incident.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import type { IncidentPage, ListWindow, SourceResult } from '../../../src/ports/index.js';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import type { Filter } from './client.js';
import { explain401, type SymantecContext } from './context.js';
import { toLocalDateTime } from './local-time.js';
import { assigneeOf, type MapContext, mapIncident, mapSeverity } from './map.js';
import { and, createdAt, LIST_FIELDS, listQuery, longIn, notHidden } from './queries.js';
import { type SymEditableAttributes, SymIncidentRow } from './schema.js';
import { normaliseStatus, requireStatusId, type StatusCatalog } from './statuses.js';

/** A safety net far above any real backlog: a server that never stops answering full pages gets cut off. */
const MAX_PAGES = 20_000;

interface FetchedPage {
  page: IncidentPage;
  /** Rows the server returned, valid or not: a short page ends the listing. */
  received: number;
  /** Rows not seen before in this listing: zero on a full page means the server repeats itself. */
  fresh: number;
}

interface Seen {
  ids: Set<string>;
  broken: Set<string>;
}

/**
 * Offset paging (`page.pageNumber`, 1-based) over one query for every listed status. Enforce reports no
 * total, so the listing ends on a short page; a full page with nothing new (a server ignoring `page`) ends it
 * with an error instead of looping. The statuses list is fetched once per listing, so statuses an administrator
 * added or renamed are picked up by the next scan. Incidents moved between statuses mid-listing can shift
 * across a page boundary; duplicates are dropped, and one missed is caught by the next pass.
 */
export async function* listOpenIncidents(
  ctx: SymantecContext,
  window: ListWindow,
): AsyncGenerator<SourceResult<IncidentPage>> {
  const { config } = ctx;
  const catalog = await ctx.statuses.refresh();
  if (!catalog.ok) {
    yield catalog;
    return;
  }
  const statusIds = listedStatusIds(ctx, catalog.value);
  if (!statusIds.ok) {
    yield statusIds;
    return;
  }
  const filters: Filter[] = [longIn('incidentStatusId', statusIds.value), notHidden];
  // GTE, not XSOAR's GT: the port asks for incidents created at or after `since`, and ties on one timestamp exist.
  if (window.mode === 'incremental') filters.push(createdAt('GTE', toLocalDateTime(window.since, config.timeZone)));
  const filter = and(filters);
  const mapCtx: MapContext = { source: config.id, catalog: catalog.value, config };
  const seen: Seen = { ids: new Set(), broken: new Set() };
  const fetchPage = (pageNumber: number) =>
    fetchAndMap(ctx, mapCtx, listQuery(filter, pageNumber, config.pageSize, LIST_FIELDS), seen, window);

  let next = fetchPage(1);
  for (let pageNumber = 1; ; pageNumber += 1) {
    const result = await next;
    if (!result.ok) {
      yield result;
      return;
    }
    const { page, received, fresh } = result.value;
    const exhausted = received < config.pageSize;
    if (!exhausted && fresh === 0) {
      yield err(stalled(pageNumber, seen.ids.size));
      return;
    }
    if (!exhausted && pageNumber >= MAX_PAGES) {
      yield err(adapterError('unavailable', `queryIncidents: stopped after ${pageNumber} pages`));
      return;
    }
    // The next page is requested while the caller stores this one.
    if (!exhausted) next = fetchPage(pageNumber + 1);
    yield ok(page);
    if (exhausted) return;
  }
}

/** Configured names to ids; the write-back status joins them when it exists, so marked incidents stay listed. */
function listedStatusIds(ctx: SymantecContext, catalog: StatusCatalog): SourceResult<number[]> {
  const ids = new Set<number>();
  for (const name of ctx.config.listStatuses) {
    const id = requireStatusId(catalog, name, 'listStatuses');
    if (!id.ok) return id;
    ids.add(id.value);
  }
  if (ctx.config.writeBack.enabled) {
    const breach = catalog.idOf(ctx.config.writeBack.status);
    if (breach !== undefined) ids.add(breach);
    else ctx.deps.logger.warn({ status: ctx.config.writeBack.status }, 'write-back status not in Enforce; not listed');
  }
  return ok([...ids].sort((a, b) => a - b));
}

function stalled(pageNumber: number, readSoFar: number): AdapterError {
  const why = `page ${pageNumber} repeated earlier records only (the server ignored the page number)`;
  return stalledListing('queryIncidents', why, readSoFar);
}

async function fetchAndMap(
  ctx: SymantecContext,
  mapCtx: MapContext,
  body: ReturnType<typeof listQuery>,
  seen: Seen,
  window: ListWindow,
): Promise<Result<FetchedPage, AdapterError>> {
  const response = await ctx.client.query(body);
  if (!response.ok) return response;
  const rows: SymIncidentRow[] = [];
  let skipped = 0;
  let fresh = 0;
  for (const raw of response.value.incidents) {
    const row = SymIncidentRow.safeParse(raw);
    if (!row.success) {
      // A repeated broken record is neither counted twice nor mistaken for progress.
      const print = recordFingerprint(raw);
      if (!seen.broken.has(print)) {
        seen.broken.add(print);
        skipped += 1;
        fresh += 1;
      }
      continue;
    }
    const id = String(row.data.incidentId);
    if (seen.ids.has(id)) continue;
    seen.ids.add(id);
    fresh += 1;
    // A hidden row means the server ignored the isHidden filter; hidden incidents are out of every queue.
    if (row.data.isHidden !== true) rows.push(row.data);
  }
  // Mapped before the assignee is known, so the core can say which rows get a card (and need it read).
  const mapped = rows.map((row) => mapIncident(row, null, mapCtx));
  const kept = rows.map((row, i) => keptAssignee(ctx, mapCtx, row, mapped[i] ?? null, window));
  const editables = await editablesFor(ctx, rows, kept);
  if (!editables.ok) return editables;
  const incidents: Incident[] = [];
  rows.forEach((_, i) => {
    const editable = editables.value[i];
    const incident = mapped[i];
    if (editable === null) return;
    if (!incident || editable === 'broken') skipped += 1;
    else {
      const keep = kept[i];
      incidents.push({ ...incident, assignee: keep === undefined ? assigneeOf(editable ?? null, ctx.config) : keep });
    }
  });
  return ok({
    page: { incidents, skipped, expectedTotal: null },
    received: response.value.incidents.length,
    fresh,
  });
}

/** Per row: the attributes, `undefined` when not read, `null` when the incident turned invisible since the query. */
type EditableSlot = SymEditableAttributes | null | undefined | 'broken';

const HOUR_MS = 3_600_000;

/**
 * The stored assignee when this row need not be read again (`undefined`: read it). Read: an incident the scan draws
 * a card for (new to triage, or its SLA state rises), since the card shows the assignee; one whose listed severity
 * or status changed; one whose age crossed a multiple of `assigneeRefreshHours` since a scan last listed it; every
 * one on `scan --full`. A new incident without a card counts as just listed, so the part of a first scan's backlog
 * nobody is shown yet costs no reads.
 */
function keptAssignee(
  ctx: SymantecContext,
  mapCtx: MapContext,
  row: SymIncidentRow,
  incident: Incident | null,
  { known, reread, announces }: ListWindow,
): string | null | undefined {
  // Without a store to ask (a direct caller), every row is read, as `get` would read it.
  if (ctx.config.assignment.type === 'none' || !known) return undefined;
  const stored = known(String(row.incidentId));
  if (incident && announces?.(incident, stored)) return undefined;
  if (!stored) return null;
  if (reread) return undefined;
  const changed =
    stored.severity !== mapSeverity(row) ||
    stored.rawStatus !== normaliseStatus(row.incidentStatusId, mapCtx.catalog, mapCtx.config).rawStatus;
  const period = ctx.config.assigneeRefreshHours * HOUR_MS;
  const ageBucket = (at: number) => Math.floor((at - stored.createdAt.getTime()) / period);
  if (changed || ageBucket(ctx.deps.clock.now().getTime()) > ageBucket(stored.lastSeenAt.getTime())) return undefined;
  return stored.assignee;
}

/**
 * The assignee lives only in each incident's editable attributes, so reading it costs one call per row (skipped
 * in `assignment: none` mode and for rows whose stored assignee is kept), made with as many in flight as the pool
 * has connections. A row whose attributes do not parse is skipped and counted like a broken row; an incident no
 * longer visible is dropped.
 */
async function editablesFor(
  ctx: SymantecContext,
  rows: readonly SymIncidentRow[],
  kept: readonly (string | null | undefined)[],
): Promise<Result<EditableSlot[], AdapterError>> {
  const out: EditableSlot[] = rows.map(() => undefined);
  if (ctx.config.assignment.type === 'none') return ok(out);
  const toRead = rows.flatMap((_, index) => (kept[index] === undefined ? [index] : []));
  let failure: AdapterError | undefined;
  let nextIndex = 0;
  const worker = async () => {
    while (!failure && nextIndex < toRead.length) {
      const index = toRead[nextIndex++] as number;
      const editable = await readEditable(ctx, (rows[index] as SymIncidentRow).incidentId);
      if (editable.ok) out[index] = editable.value;
      else if (editable.error.code === 'schema_mismatch') out[index] = 'broken';
      else failure ??= editable.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.config.http.connections, toRead.length) }, worker));
  return failure ? err(failure) : ok(out);
}

/** One incident's editable attributes; `null` when Enforce says this incident (only) is not visible any more. */
export async function readEditable(
  ctx: SymantecContext,
  id: number,
): Promise<Result<SymEditableAttributes | null, AdapterError>> {
  const editable = await ctx.client.editableAttributes(id);
  if (editable.ok) return editable;
  const explained = await explain401(ctx, editable.error, String(id));
  return explained.code === 'not_found' ? ok(null) : err(explained);
}
