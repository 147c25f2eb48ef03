import type { Database } from 'better-sqlite3';
import type { AuditEvent } from './audit-chain.js';
import type { Store } from './open.js';

/** The ages `store.retention` sets, in days; an unset one prunes nothing of its kind. */
export interface RetentionAges {
  closedIncidentsDays?: number | undefined;
  deliveredOutboxDays?: number | undefined;
  jobRunsDays?: number | undefined;
}

/** What one prune removed. */
export interface Pruned {
  incidents: number;
  /** Card records of those incidents: the cards stay posted but are no longer updated. */
  postings: number;
  outbox: number;
  jobRuns: number;
}

export type PruneAudit = Pick<AuditEvent, 'at' | 'actor' | 'surface' | 'correlationId'>;

const DAY_MS = 86_400_000;

/**
 * Closed, unseen by any scan since the cutoff (a vendor still listing it keeps it: the scan would post it again), and
 * with nothing left to announce: an announcement pending or dead stays where `dlp-bot outbox` can show it.
 */
const PRUNABLE_INCIDENT = `closed_at IS NOT NULL AND closed_at < @cutoff AND last_seen_at < @cutoff
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.source = incidents.source AND o.incident_id = incidents.id
                  AND o.state <> 'delivered')`;

/** Never a run in progress, nor the newest run of a job, nor its newest schedule time (catch-up counts from it). */
const PRUNABLE_JOB_RUN = `outcome <> 'running' AND coalesce(finished_at, started_at) < @cutoff
  AND id NOT IN (SELECT max(id) FROM job_runs GROUP BY job)
  AND id NOT IN (SELECT max(id) FROM job_runs j WHERE reason IN ('scheduled', 'catch_up')
                 AND slot = (SELECT max(slot) FROM job_runs k WHERE k.job = j.job AND k.reason IN ('scheduled', 'catch_up'))
                 GROUP BY job)`;

function statements(db: Database) {
  return {
    postings: db
      .prepare<{ cutoff: number }, number>(
        `SELECT count(*) FROM postings p WHERE EXISTS
           (SELECT 1 FROM incidents WHERE source = p.source AND id = p.incident_id AND ${PRUNABLE_INCIDENT})`,
      )
      .pluck(),
    incidents: db.prepare<{ cutoff: number }>(`DELETE FROM incidents WHERE ${PRUNABLE_INCIDENT}`),
    outbox: db.prepare<{ cutoff: number }>("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < @cutoff"),
    jobRuns: db.prepare<{ cutoff: number }>(`DELETE FROM job_runs WHERE ${PRUNABLE_JOB_RUN}`),
  };
}

/**
 * Removes what `ages` says is old enough, in one transaction, and writes one audit row with the counts (also when
 * nothing was old enough: the row shows retention ran). Incidents take their card records, local triage, notes and
 * notices with them (they cascade); audit rows are never touched.
 */
export function pruneStore(store: Store, ages: RetentionAges, audit: PruneAudit): Pruned {
  const stmt = statements(store.db);
  const cutoff = (days: number | undefined) => (days === undefined ? null : audit.at.getTime() - days * DAY_MS);
  const run = (days: number | undefined, prune: (cutoff: number) => number) => {
    const at = cutoff(days);
    return at === null ? 0 : prune(at);
  };
  return store.transaction(() => {
    // Delivered announcements first, so those of a pruned incident count here rather than vanish in its cascade.
    const outbox = run(ages.deliveredOutboxDays, (at) => stmt.outbox.run({ cutoff: at }).changes);
    const postings = run(ages.closedIncidentsDays, (at) => stmt.postings.get({ cutoff: at }) ?? 0);
    const pruned: Pruned = {
      incidents: run(ages.closedIncidentsDays, (at) => stmt.incidents.run({ cutoff: at }).changes),
      postings,
      outbox,
      jobRuns: run(ages.jobRunsDays, (at) => stmt.jobRuns.run({ cutoff: at }).changes),
    };
    store.audit.append({
      ...audit,
      action: 'store.prune',
      source: null,
      incidentId: null,
      outcome: 'ok',
      detail: {
        ...pruned,
        closedIncidentsDays: ages.closedIncidentsDays ?? null,
        deliveredOutboxDays: ages.deliveredOutboxDays ?? null,
        jobRunsDays: ages.jobRunsDays ?? null,
      },
    });
    return pruned;
  });
}
