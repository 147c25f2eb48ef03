import { z } from 'zod';
import { cronExpression } from './schedules-schema.js';

/** The daily digest reads incidents created in the last two weeks; a closed incident must outlive that. */
export const MIN_CLOSED_INCIDENT_DAYS = 15;

const days = (min: number, why: string, description: string) =>
  z.int().min(min, why).max(36_500).optional().describe(description);

/**
 * How long the store keeps what it no longer needs; every age is off (kept for ever) unless set. Audit rows are
 * never pruned, and each prune is itself an audit row.
 */
export const RetentionConfig = z.strictObject({
  closedIncidentsDays: days(
    MIN_CLOSED_INCIDENT_DAYS,
    `at least ${MIN_CLOSED_INCIDENT_DAYS}: the daily digest reads incidents created in the last 14 days`,
    'Remove incidents closed (and unseen by any scan) this many days ago, with their card records and notes.',
  ),
  deliveredOutboxDays: days(1, 'at least 1', 'Remove announcements delivered this many days ago.'),
  jobRunsDays: days(1, 'at least 1', 'Remove job runs finished this many days ago (the newest of each job stays).'),
  schedule: cronExpression
    .default('30 3 * * *')
    .describe('When `serve` prunes (UTC cron); `dlp-bot store prune` prunes now.'),
});
export type RetentionConfig = z.infer<typeof RetentionConfig>;

/** Whether any age is set: without one, `serve` schedules no prune and `store prune` has nothing to do. */
export const retentionIsOn = (retention: RetentionConfig) =>
  retention.closedIncidentsDays !== undefined ||
  retention.deliveredOutboxDays !== undefined ||
  retention.jobRunsDays !== undefined;
