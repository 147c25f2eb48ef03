import { IANAZone, Info } from 'luxon';
import { z } from 'zod';
import { adapterError } from '../../../src/domain/errors.js';
import { clipText, type Severity, TEXT_LIMITS } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import type { BreachCutoffs } from '../../../src/domain/sla-cutoff.js';
import type { BreachedNewCandidate, SourceResult } from '../../../src/ports/index.js';
import { MAX_PAGE_SIZE, NEW_STATUS_ID } from './config.js';
import type { SymantecContext } from './context.js';
import { createLocalDateTimeReader, toLocalDateTime } from './local-time.js';
import { mapSeverity } from './map.js';
import { and, BY_ID, createdAt, listQuery, longIn, notHidden } from './queries.js';
import { rowIdOf, SymIncidentRow } from './schema.js';

const MAX_PAGES = 1_000;
/** Enforce's severity ids for the core's severities; Enforce has no "critical", so its cutoff asks nothing. */
const SEVERITY_IDS: readonly (1 | 2 | 3 | 4)[] = [1, 2, 3, 4];
/** The creation date is checked by its conversion (which refuses what is not a real local time), not twice. */
const Row = SymIncidentRow.pick({ incidentId: true, severityId: true, policyName: true }).extend({
  creationDate: z.string(),
});
const HOUR_MS = 3_600_000;
/** How far from a cutoff a clock change can make local times misorder instants (localBound's margin too). */
const DAY_MS = 24 * HOUR_MS;

type Rows = SourceResult<BreachedNewCandidate[]>;
interface SeverityQuery {
  severityId: 1 | 2 | 3 | 4;
  cutoff: Date;
  /** Ids alone: the cutoff is the rule and the local-time bound selects exactly the instants up to it. */
  idsOnly: boolean;
  withPolicy: boolean;
}

/**
 * The Broadcom article's query, per severity: New, not hidden, created at or before the core's cutoff, in pages of
 * Enforce's 10,000 cap, with the few fields the core decides on, or the ids alone where the cutoff already is the
 * rule. The severities are asked at once and each one's rows are yielded as soon as they are read, so the core
 * writes one back while Enforce answers the next; with `writeBack.maxPerScan` they are yielded together, dated, so
 * the cap takes the oldest across severities. A row that does not parse is left out: it is neither written here
 * nor lost, since the listing and the write-back after it still see it.
 */
export async function* findBreachedNew(ctx: SymantecContext, cutoffs: BreachCutoffs): AsyncGenerator<Rows> {
  // The status list the write-back needs is read first, beside the queries (its own errors are the write-back's to
  // report), and awaited before the first rows are handed over, so no write waits for it.
  const statuses = ctx.statuses.having(ctx.config.writeBack.status);
  const zone = ctx.config.timeZone;
  const readLocal = createLocalDateTimeReader(zone);
  const capped = ctx.config.writeBack.maxPerScan !== undefined;
  const localTimesInOrder = createLocalOrderCheck(zone);
  const queries = SEVERITY_IDS.flatMap((severityId): SeverityQuery[] => {
    const cutoff = cutoffs.bySeverity[mapSeverity({ severityId })];
    if (!cutoff) return [];
    const idsOnly = cutoffs.exact && !capped && localTimesInOrder(cutoff);
    return [{ severityId, cutoff, idsOnly, withPolicy: cutoffs.needsPolicy }];
  });
  const answers = queries.map((query) => rowsOf(ctx, query, readLocal));
  await statuses;
  if (capped) {
    const found: BreachedNewCandidate[] = [];
    for (const answer of await Promise.all(answers)) {
      if (!answer.ok) {
        yield answer;
        return;
      }
      found.push(...answer.value);
    }
    yield ok(found);
    return;
  }
  for await (const answer of inCompletionOrder(answers)) {
    yield answer;
    if (!answer.ok) return;
  }
}

/** Each promise's value as soon as it settles, whatever the order they were started in. */
async function* inCompletionOrder<T>(promises: readonly Promise<T>[]): AsyncGenerator<T> {
  const pending = new Map(promises.map((promise, i) => [i, promise.then((value) => ({ i, value }))]));
  while (pending.size > 0) {
    const { i, value } = await Promise.race(pending.values());
    pending.delete(i);
    yield value;
  }
}

async function rowsOf(
  ctx: SymantecContext,
  query: SeverityQuery,
  readLocal: (value: string) => Date | null,
): Promise<Rows> {
  const { severityId, cutoff, idsOnly, withPolicy } = query;
  const zone = ctx.config.timeZone;
  const fields = idsOnly
    ? ['incidentId']
    : ['incidentId', 'creationDate', 'severityId', ...(withPolicy ? ['policyName'] : [])];
  const filter = and([
    longIn('incidentStatusId', [NEW_STATUS_ID]),
    notHidden,
    longIn('severityId', [severityId]),
    createdAt('LTE', toLocalDateTime(localBound(cutoff, zone), zone)),
  ]);
  const severity = mapSeverity({ severityId });
  const found: BreachedNewCandidate[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const page = await ctx.client.query(listQuery(filter, pageNumber, MAX_PAGE_SIZE, fields, BY_ID));
    if (!page.ok) return page;
    for (const raw of page.value.incidents) {
      const row = idsOnly ? idOf(raw, severity) : candidateOf(raw, readLocal, withPolicy);
      if (row) found.push(row);
    }
    if (page.value.incidents.length < MAX_PAGE_SIZE) return ok(found);
  }
  return err(adapterError('unavailable', `queryIncidents: breached-New query stopped after ${MAX_PAGES} pages`));
}

function idOf(raw: unknown, severity: Severity): BreachedNewCandidate | null {
  const id = rowIdOf(raw);
  return id === null ? null : { id: String(id), createdAt: null, severity, policy: null };
}

function candidateOf(
  raw: unknown,
  readLocal: (value: string) => Date | null,
  withPolicy: boolean,
): BreachedNewCandidate | null {
  const row = Row.safeParse(raw);
  if (!row.success) return null;
  const created = readLocal(row.data.creationDate);
  if (!created) return null;
  const severity: Severity = mapSeverity(row.data);
  const policy = withPolicy ? clipText(row.data.policyName, TEXT_LIMITS.policy) : null;
  return { id: String(row.data.incidentId), createdAt: created, severity, policy };
}

/**
 * Whether local times order the instants within a day of a cutoff as time does: not when the zone turns its clocks
 * back in that span, since the repeated local hour then puts instants on the wrong side of the bound. Offsets are
 * read once per hour of the spans (which overlap across severities); a fixed offset never turns back.
 */
function createLocalOrderCheck(zone: string): (cutoff: Date) => boolean {
  if (Info.normalizeZone(zone)?.isUniversal) return () => true;
  const offsets = new Map<number, number>();
  const offsetAt = (hour: number) => {
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = IANAZone.create(zone).offset(hour * HOUR_MS);
      offsets.set(hour, offset);
    }
    return offset;
  };
  return (cutoff) => {
    const first = Math.floor((cutoff.getTime() - DAY_MS) / HOUR_MS);
    for (let hour = first + 1; hour <= first + 2 * (DAY_MS / HOUR_MS) + 1; hour += 1) {
      if (offsetAt(hour) < offsetAt(hour - 1)) return false;
    }
    return true;
  };
}

/**
 * The instant whose local time bounds the query. After a fall-back within the last day, instants before the cutoff
 * read later local times than it (the repeated hour), so the bound moves forward by the hour lost; the core's exact
 * decision drops the few extra rows this lets in.
 */
function localBound(cutoff: Date, zone: string): Date {
  const offsetOf = (ms: number) => IANAZone.create(zone).offset(ms);
  const shift = Math.max(0, offsetOf(cutoff.getTime() - DAY_MS) - offsetOf(cutoff.getTime()));
  return new Date(cutoff.getTime() + shift * 60_000);
}
