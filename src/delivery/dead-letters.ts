import { deadLetterAnnouncement } from '../cards/dead-letters.js';
import { serially } from '../jobs/serial.js';
import type { Logger } from '../log.js';
import type { ChatSurface } from '../ports/index.js';
import type { Store } from '../store/index.js';
import type { SendQueue } from './send-queue.js';

export interface DeadLetterDeps {
  store: Store;
  queue: SendQueue;
  logger: Logger;
  /** `ops.adminChannels`: channel ids per surface id. */
  adminChannels: Readonly<Record<string, readonly string[]>>;
}

/** Each admin channel on a surface this run can post to. */
export function adminTargets(
  adminChannels: Readonly<Record<string, readonly string[]>>,
  surfaces: readonly ChatSurface[],
): { surface: ChatSurface; channel: string }[] {
  return Object.entries(adminChannels).flatMap(([surfaceId, channels]) => {
    const surface = surfaces.find((s) => s.id === surfaceId);
    return surface ? channels.map((channel) => ({ surface, channel })) : [];
  });
}

/**
 * Tells the admin channels, once, about notifications the delivery gave up on: one message per channel for all those
 * not announced yet. A message any admin channel accepted counts; if none did, the next delivery tries again. Calls
 * run one at a time, so overlapping deliveries never announce the same dead letter twice.
 */
export function createDeadLetterAnnouncer(deps: DeadLetterDeps): (surfaces: readonly ChatSurface[]) => Promise<number> {
  return serially(async (surfaces: readonly ChatSurface[]) => {
    const targets = adminTargets(deps.adminChannels, surfaces);
    if (targets.length === 0) return 0;
    const rows = deps.store.deadLetters.unannounced();
    if (rows.length === 0) return 0;
    const view = deadLetterAnnouncement(rows);
    const results = await Promise.all(targets.map((t) => deps.queue.post(t.surface, t.channel, view)));
    results.forEach((result, index) => {
      if (result.ok) return;
      const { surface, channel } = targets[index] ?? {};
      deps.logger.error(
        { surface: surface?.id, channel, error: result.error.code, reason: result.error.message },
        'could not tell the admin channel about notifications given up',
      );
    });
    if (!results.some((r) => r.ok)) return 0;
    deps.store.deadLetters.markAnnounced(rows.map((row) => row.id));
    deps.logger.warn({ deadLetters: rows.length }, 'notifications given up announced in the admin channels');
    return rows.length;
  });
}
