import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import type { BreachToWriteBack, SourceResult, WriteBackResult } from '../../../src/ports/index.js';
import { MAX_PAGE_SIZE, NEW_STATUS_ID } from './config.js';
import { explain401, parseIncidentId, type SymantecContext } from './context.js';
import { toLocalDateTime } from './local-time.js';
import { and, BY_ID, createdAt, listQuery, longIn, notHidden } from './queries.js';
import { rowIdOf } from './schema.js';
import { normaliseStatus, requireStatusId } from './statuses.js';
import { noteAt } from './triage.js';

const MAX_CHECK_PAGES = 1_000;
/**
 * Ids per bulk PATCH. Enforce documents no limit; this is its documented page cap, so one PATCH never names more
 * incidents than one query page can list, and the body (about 170 kB) stays far below what servers accept.
 */
export const PATCH_BATCH = MAX_PAGE_SIZE;

interface Candidate {
  id: string;
  numeric: number;
  breach: BreachToWriteBack;
}

export function breachNote(slaHours: number): string {
  return `SLA Breach escalation by dlp-bot: New for longer than its ${slaHours}-hour SLA.`;
}

/**
 * The Broadcom "SLA breach" example, done by the bot: breached incidents that are still New move to the configured
 * status (default "SLA Breach"), with a note naming the SLA they missed, as the example's note does. "Still New" is
 * asked of Enforce right before writing, with the same filters the example uses (status 1, not hidden, creation
 * date), so an analyst's change since the last scan is never overwritten. Incidents no longer New, hidden or unknown
 * are `skipped`. One bulk PATCH per {@link PATCH_BATCH} incidents sharing a note (same SLA hours), or regardless of
 * hours with `note: false`. `writeBack.maxPerScan` bounds how many are moved; the rest, like an id Enforce leaves
 * out of `updatedIncidentIds`, stays pending for the next scan.
 */
export async function writeBackBreaches(
  ctx: SymantecContext,
  breaches: readonly BreachToWriteBack[],
): Promise<SourceResult<WriteBackResult>> {
  const { status: statusName, note, maxPerScan } = ctx.config.writeBack;
  const catalog = await ctx.statuses.having(statusName);
  if (!catalog.ok) return catalog;
  const statusId = requireStatusId(catalog.value, statusName, 'writeBack.status');
  if (!statusId.ok) return statusId;
  const marked = normaliseStatus(statusId.value, catalog.value, ctx.config);

  const skipped: string[] = [];
  const candidates: Candidate[] = [];
  for (const breach of breaches) {
    const numeric = parseIncidentId(breach.id);
    if (breach.status !== 'new' || numeric === null) skipped.push(breach.id);
    else candidates.push({ id: breach.id, numeric, breach });
  }
  if (candidates.length === 0) return ok({ written: [], skipped, marked });
  // Rows this scan's own breached-New query just returned New and visible are not asked again: the answer would be
  // the same query's, a few hundred milliseconds later, and asking is what made the bot slower than the article.
  const unconfirmed = candidates.filter((c) => !c.breach.confirmedNew);
  const stillNew = unconfirmed.length > 0 ? await stillNewIds(ctx, unconfirmed) : ok(new Set<number>());
  if (!stillNew.ok) return stillNew;
  for (const c of candidates) if (c.breach.confirmedNew) stillNew.value.add(c.numeric);

  const groups = new Map<number, Candidate[]>();
  let taken = 0;
  for (const c of candidates) {
    if (!stillNew.value.has(c.numeric)) {
      skipped.push(c.id);
      continue;
    }
    if (maxPerScan !== undefined && taken >= maxPerScan) continue;
    taken += 1;
    const key = note ? c.breach.slaHours : -1;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const written: string[] = [];
  for (const [hours, group] of groups) {
    for (let from = 0; from < group.length; from += PATCH_BATCH) {
      const batch = group.slice(from, from + PATCH_BATCH);
      const response = await ctx.client.patch({
        incidentIds: batch.map((c) => c.numeric),
        incidentStatusId: statusId.value,
        incidentStatusName: catalog.value.nameOf(statusId.value) ?? statusName,
        ...(note ? { incidentNotes: [noteAt(ctx, breachNote(hours))] } : {}),
      });
      if (!response.ok) {
        const explained = await explain401(ctx, response.error, batch[0]?.id ?? '');
        // Every id of the batch was refused one by one: none of them is visible any more.
        if (explained.code === 'not_found') {
          skipped.push(...batch.map((c) => c.id));
          continue;
        }
        if (written.length === 0) return err(explained);
        // What was written is reported, so it is not marked twice; the rest stays pending.
        ctx.deps.logger.warn({ code: explained.code, written: written.length }, 'write-back stopped midway');
        return ok({ written, skipped, marked, failure: explained });
      }
      const updated = new Set(response.value.updatedIncidentIds);
      for (const c of batch) if (updated.has(c.numeric)) written.push(c.id);
    }
  }
  return ok({ written, skipped, marked });
}

/** Which candidates Enforce still has as New and visible, read with a query bounded by their creation times. */
async function stillNewIds(
  ctx: SymantecContext,
  candidates: readonly Candidate[],
): Promise<Result<Set<number>, AdapterError>> {
  const times = candidates.flatMap((c) => (c.breach.createdAt ? [c.breach.createdAt.getTime()] : []));
  const zone = ctx.config.timeZone;
  // Bounded by creation times when all are known (the port leaves them out only for rows already confirmed New).
  const bounds =
    times.length === candidates.length
      ? [
          createdAt('GTE', toLocalDateTime(new Date(Math.min(...times)), zone)),
          createdAt('LTE', toLocalDateTime(new Date(Math.max(...times)), zone)),
        ]
      : [];
  const filter = and([longIn('incidentStatusId', [NEW_STATUS_ID]), notHidden, ...bounds]);
  const wanted = new Set(candidates.map((c) => c.numeric));
  const found = new Set<number>();
  // Ids only, so the largest page Enforce serves: a check of the whole backlog costs a few queries.
  const pageSize = MAX_PAGE_SIZE;
  for (let pageNumber = 1; pageNumber <= MAX_CHECK_PAGES; pageNumber += 1) {
    const page = await ctx.client.query(listQuery(filter, pageNumber, pageSize, ['incidentId'], BY_ID));
    if (!page.ok) return page;
    for (const row of page.value.incidents) {
      const id = rowIdOf(row);
      if (id !== null && wanted.has(id)) found.add(id);
    }
    if (page.value.incidents.length < pageSize || found.size === wanted.size) return ok(found);
  }
  return err(adapterError('unavailable', `queryIncidents: still-New check stopped after ${MAX_CHECK_PAGES} pages`));
}
