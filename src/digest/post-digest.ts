import { DateTime } from 'luxon';
import type { Router } from '../delivery/routes.js';
import type { SendQueue } from '../delivery/send-queue.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { CalendarConfig } from '../domain/sla-config.js';
import type { Logger } from '../log.js';
import type { ChatSurface } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { collectDigest, type DigestData } from './collect.js';
import { digestView } from './view.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The calendar a route's digest follows when neither the route nor `sla` names one. */
export const UTC_WEEKDAYS: Pick<CalendarConfig, 'timeZone' | 'workingDays' | 'holidays'> = {
  timeZone: 'UTC',
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  holidays: [],
};

export interface DigestRun {
  store: Store;
  policy: SlaPolicy;
  surfaces: readonly ChatSurface[];
  /** The route's channels, per surface id. */
  channels: Readonly<Record<string, readonly string[]>>;
  calendar: Pick<CalendarConfig, 'timeZone' | 'workingDays' | 'holidays'>;
  /** Which channels an incident goes to: a channel's digest counts only the incidents routed there. */
  router: Router;
  queue: SendQueue;
  logger: Logger;
}

export type DigestOutcome = { skipped: string } | { posted: number; already: number; failed: number; date: string };

/**
 * Posts the route's digest to each of its channels, once per channel and local day (a second trigger, or a
 * channel shared by two routes, finds the day's digest already there). Nothing on days off the calendar.
 */
export async function postDigests(run: DigestRun, now: Date): Promise<DigestOutcome> {
  const local = DateTime.fromJSDate(now, { zone: run.calendar.timeZone });
  const date = local.toISODate() ?? '';
  const weekday = WEEKDAYS[local.weekday - 1] ?? 'mon';
  if (!run.calendar.workingDays.includes(weekday)) return { skipped: `${date} is not a working day` };
  if (run.calendar.holidays.includes(date)) return { skipped: `${date} is a holiday` };
  const outcome = { posted: 0, already: 0, failed: 0, date };
  const heading = `DLP digest for ${local.toFormat('ccc d LLL yyyy')}`;
  for (const surface of run.surfaces) {
    for (const channel of run.channels[surface.id] ?? []) {
      if (run.store.notices.digestPosted(surface.id, channel, date)) {
        outcome.already += 1;
        continue;
      }
      const scope = (incident: Parameters<Router>[0]) =>
        run.router(incident).some((t) => t.surface.id === surface.id && t.channel === channel);
      const data = collectDigest({
        store: run.store,
        policy: run.policy,
        now,
        scope,
        channel: { surface: surface.id, channel },
      });
      const links = await cardLinks(surface, data, run.logger);
      const view = digestView(data, heading, (breach) => links.get(breach.ref) ?? null);
      const result = await run.queue.post(surface, channel, view);
      if (!result.ok) {
        outcome.failed += 1;
        run.logger.warn({ surface: surface.id, channel, code: result.error.code }, 'digest not posted');
        continue;
      }
      run.store.notices.recordDigest(surface.id, channel, date, result.value.messageId, now);
      outcome.posted += 1;
    }
  }
  if (outcome.failed > 0) throw new Error(`${outcome.failed} digest(s) could not be posted; see the log`);
  return outcome;
}

/**
 * Links to the oldest breaches' cards in this channel, where the surface can make them; a breach without one
 * (no card here, a surface without links, a failed lookup) keeps its vendor console link.
 */
async function cardLinks(surface: ChatSurface, data: DigestData, logger: Logger): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (!surface.permalink) return links;
  for (const breach of data.oldestBreaches) {
    if (!breach.message) continue;
    const { threadId, ...ref } = breach.message;
    const result = await surface.permalink(threadId ? { ...ref, threadId } : ref);
    if (result.ok) links.set(breach.ref, result.value);
    else logger.debug({ surface: surface.id, code: result.error.code }, 'no link to a card; linking the console');
  }
  return links;
}
