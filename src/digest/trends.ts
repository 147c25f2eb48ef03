import { type SlaPolicy, slaTimes } from '../domain/sla.js';
import type { Store } from '../store/index.js';
import type { DigestData, DigestScope } from './collect.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/**
 * Incidents created this far back are candidates for "deadline in the last 7 days": a 16-hour window on a
 * working-hours calendar over a long weekend still ends within a week of creation.
 */
const CANDIDATES_MS = 2 * WEEK_MS;
const NOISY_POLICIES = 5;

type Trends = Pick<
  DigestData,
  'resolved24h' | 'falsePositives24h' | 'compliance7d' | 'medianFirstActionMinutes' | 'firstActions7d' | 'noisyPolicies'
>;

/** The looking-back figures: closures, SLA compliance, time to first action, noisy policies. */
export function trends(store: Store, policy: SlaPolicy, now: Date, scope: DigestScope | undefined): Trends {
  const inScope = scope ?? (() => true);
  const t = now.getTime();
  let resolved24h = 0;
  let falsePositives24h = 0;
  const perPolicy = new Map<string, { closed: number; falsePositives: number }>();
  for (const row of store.digestStats.closedSince(new Date(t - WEEK_MS))) {
    if (!inScope(row)) continue;
    const name = row.policy ?? '(no policy)';
    const tally = perPolicy.get(name) ?? { closed: 0, falsePositives: 0 };
    tally.closed += row.count;
    if (row.status === 'false_positive') tally.falsePositives += row.count;
    perPolicy.set(name, tally);
  }
  for (const row of store.digestStats.closedSince(new Date(t - DAY_MS))) {
    if (!inScope(row)) continue;
    if (row.status === 'false_positive') falsePositives24h += row.count;
    else resolved24h += row.count;
  }

  const compliance7d = { due: 0, withinSla: 0 };
  const firstActionMinutes: number[] = [];
  for (const incident of store.digestStats.createdSince(new Date(t - CANDIDATES_MS))) {
    if (!inScope(incident)) continue;
    const { firstActionAt, leftTriageAt, closedAt } = incident;
    if (firstActionAt && firstActionAt.getTime() > t - WEEK_MS && firstActionAt.getTime() <= t) {
      firstActionMinutes.push((firstActionAt.getTime() - incident.createdAt.getTime()) / 60_000);
    }
    const deadline = slaTimes(incident, policy).deadline.getTime();
    if (deadline <= t - WEEK_MS || deadline > t) continue;
    const triaged = [firstActionAt, leftTriageAt, closedAt]
      .filter((d): d is Date => d !== null)
      .map((d) => d.getTime());
    const triagedAt = triaged.length > 0 ? Math.min(...triaged) : null;
    compliance7d.due += 1;
    if (triagedAt !== null && triagedAt <= deadline) compliance7d.withinSla += 1;
  }

  const noisyPolicies = [...perPolicy.entries()]
    .filter(([, tally]) => tally.falsePositives > 0)
    .map(([name, tally]) => ({ policy: name, ...tally }))
    .sort(
      (a, b) =>
        b.falsePositives / b.closed - a.falsePositives / a.closed ||
        b.falsePositives - a.falsePositives ||
        a.policy.localeCompare(b.policy),
    )
    .slice(0, NOISY_POLICIES);

  return {
    resolved24h,
    falsePositives24h,
    compliance7d,
    medianFirstActionMinutes: median(firstActionMinutes),
    firstActions7d: firstActionMinutes.length,
    noisyPolicies,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value);
}
