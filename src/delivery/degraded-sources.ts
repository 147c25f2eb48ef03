import { degradedSourceAnnouncement } from '../cards/degraded-source.js';
import type { Logger } from '../log.js';
import type { ChatSurface } from '../ports/index.js';
import type { ScanSummary } from '../scan/run-scan.js';
import type { SettingsRepo } from '../store/index.js';
import { adminTargets } from './dead-letters.js';
import type { SendQueue } from './send-queue.js';

export interface DegradedAnnouncerDeps {
  /** Where told episodes are kept, so a restart during one does not tell it again. */
  settings: SettingsRepo;
  queue: SendQueue;
  logger: Logger;
  /** `ops.adminChannels`: channel ids per surface id. */
  adminChannels: Readonly<Record<string, readonly string[]>>;
}

const episodeKey = (source: string) => `degraded.announced:${source}`;

/**
 * Tells the admin channels when a source becomes degraded (its full pass closed nothing): once per episode, so a
 * vendor that stays broken for hours (and restarts of the bot meanwhile) is one message, and again after it
 * recovered and broke anew.
 */
export function createDegradedAnnouncer(
  deps: DegradedAnnouncerDeps,
): (summary: ScanSummary, surfaces: readonly ChatSurface[]) => Promise<number> {
  const { settings } = deps;
  const announced = {
    has: (source: string) => settings.get(episodeKey(source)) !== null,
    add: (source: string, at: string) => settings.set(episodeKey(source), at),
    delete: (source: string) => settings.delete(episodeKey(source)),
  };
  return async (summary, surfaces) => {
    for (const s of summary.sources) if (s.ok && s.degraded === null) announced.delete(s.source);
    const targets = adminTargets(deps.adminChannels, surfaces);
    const fresh = summary.sources.filter((s) => s.degraded !== null && !announced.has(s.source));
    if (targets.length === 0 || fresh.length === 0) return 0;
    for (const s of fresh) announced.add(s.source, summary.at.toISOString());
    let told = 0;
    for (const s of fresh) {
      const view = degradedSourceAnnouncement(s.source, s.degraded ?? '');
      const results = await Promise.all(targets.map((t) => deps.queue.post(t.surface, t.channel, view)));
      if (results.some((r) => r.ok)) told += 1;
      // Told nowhere: the next degraded scan tries again.
      else announced.delete(s.source);
      for (const [index, result] of results.entries()) {
        if (result.ok) continue;
        const { surface, channel } = targets[index] ?? {};
        deps.logger.error(
          { surface: surface?.id, channel, source: s.source, error: result.error.code },
          'could not tell the admin channel about a degraded source',
        );
      }
    }
    return told;
  };
}
