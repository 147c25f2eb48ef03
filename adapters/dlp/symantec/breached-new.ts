import { IANAZone } from 'luxon';
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
import { and, createdAt, listQuery, longIn, notHidden } from './queries.js';
import { SymIncidentRow } from './schema.js';

const MAX_PAGES = 1_000;
/** Enforce's severity ids for the core's severities; Enforce has no "critical", so its cutoff asks nothing. */
const SEVERITY_IDS: readonly (1 | 2 | 3 | 4)[] = [1, 2, 3, 4];
/** The creation date is checked by its conversion (which refuses what is not a real local time), not twice. */
const Row = SymIncidentRow.pick({ incidentId: true, severityId: true, policyName: true }).extend({
  creationDate: z.string(),
});
const HOUR_MS = 3_600_000;

/**
 * The Broadcom article's query, per severity: New, not hidden, created at or before the core's cutoff, ids and the
 * few fields the core decides on, in pages of Enforce's 10,000 cap. A row that does not parse is left out: it is
 * neither written here nor lost, since the listing and the write-back after it still see it.
 */
export async function findBreachedNew(
  ctx: SymantecContext,
  cutoffs: BreachCutoffs,
): Promise<SourceResult<BreachedNewCandidate[]>> {
  const readLocal = createLocalDateTimeReader(ctx.config.timeZone);
  const severities = SEVERITY_IDS.flatMap((severityId) => {
    const cutoff = cutoffs.bySeverity[mapSeverity({ severityId })];
    return cutoff ? [{ severityId, cutoff }] : [];
  });
  // The severities are asked at once, and the status list the write-back needs next is read meanwhile (its own
  // errors are the write-back's to report): four small queries cost about one round trip instead of four.
  const [, ...answers] = await Promise.all([
    ctx.statuses.having(ctx.config.writeBack.status),
    ...severities.map(({ severityId, cutoff }) => rowsOf(ctx, severityId, cutoff, cutoffs.needsPolicy, readLocal)),
  ]);
  const found: BreachedNewCandidate[] = [];
  for (const answer of answers) {
    if (!answer.ok) return answer;
    found.push(...answer.value);
  }
  return ok(found);
}

async function rowsOf(
  ctx: SymantecContext,
  severityId: 1 | 2 | 3 | 4,
  cutoff: Date,
  withPolicy: boolean,
  readLocal: (value: string) => Date | null,
): Promise<SourceResult<BreachedNewCandidate[]>> {
  const zone = ctx.config.timeZone;
  const fields = ['incidentId', 'creationDate', 'severityId', ...(withPolicy ? ['policyName'] : [])];
  const filter = and([
    longIn('incidentStatusId', [NEW_STATUS_ID]),
    notHidden,
    longIn('severityId', [severityId]),
    createdAt('LTE', toLocalDateTime(localBound(cutoff, zone), zone)),
  ]);
  const found: BreachedNewCandidate[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const page = await ctx.client.query(listQuery(filter, pageNumber, MAX_PAGE_SIZE, fields));
    if (!page.ok) return page;
    for (const raw of page.value.incidents) {
      const row = candidateOf(raw, readLocal, withPolicy);
      if (row) found.push(row);
    }
    if (page.value.incidents.length < MAX_PAGE_SIZE) return ok(found);
  }
  return err(adapterError('unavailable', `queryIncidents: breached-New query stopped after ${MAX_PAGES} pages`));
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
 * The instant whose local time bounds the query. After a fall-back within the last day, instants before the cutoff
 * read later local times than it (the repeated hour), so the bound moves forward by the hour lost; the core's exact
 * decision drops the few extra rows this lets in.
 */
function localBound(cutoff: Date, zone: string): Date {
  const offsetOf = (ms: number) => IANAZone.create(zone).offset(ms);
  const shift = Math.max(0, offsetOf(cutoff.getTime() - 24 * HOUR_MS) - offsetOf(cutoff.getTime()));
  return new Date(cutoff.getTime() + shift * 60_000);
}
