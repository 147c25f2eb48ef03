import type { IncidentSnapshot, SymantecSimulator } from '../../adapters/dlp/symantec/simulator.js';

/**
 * The Broadcom article's SLA rule, written out for the Symantec write-back tests so they do not reuse the code under
 * test: the hours each Enforce severity id has as New, and which simulated incidents are past them.
 */

/** The instant the write-back tests run their simulators at. */
export const ARTICLE_ANCHOR = new Date('2026-11-23T10:00:00Z');
export const HOUR = 3_600_000;
/** SLA hours by Enforce severity id (the bot's default hours for high, medium, low and info). */
const ARTICLE_SLA_HOURS: Readonly<Record<number, number>> = { 1: 4, 2: 8, 3: 12, 4: 16 };

export const articleSlaHours = (s: IncidentSnapshot): number => ARTICLE_SLA_HOURS[s.severityId] as number;

/** Past the article's SLA for its severity at `now`, whatever its status. */
const pastArticleSla = (s: IncidentSnapshot, now: Date): boolean =>
  now.getTime() - s.createdAt.getTime() >= articleSlaHours(s) * HOUR;

/** New, visible and past the article's SLA: the rule's ground truth, as the simulator holds it now. */
export const lateNew = (sim: SymantecSimulator, now: Date): IncidentSnapshot[] =>
  sim.incidents().filter((s) => s.incidentStatusId === 1 && !s.isHidden && pastArticleSla(s, now));
