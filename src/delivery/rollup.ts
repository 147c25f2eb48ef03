import { SEVERITIES, type Severity } from '../domain/incident.js';
import type { View } from '../views/view.js';

/**
 * Counts the new cards one delivery run would post per channel. The first `rollupAfter` get their own
 * messages; the rest go into the thread of one roll-up message, so a burst of breaches cannot bury a channel.
 */
export interface RollupPlan {
  /** Claims the next new card in `channelKey`; true when it belongs in the roll-up thread. */
  claim(channelKey: string, severity: Severity): boolean;
  /** The roll-up message for a channel, or null when the channel stays under the limit. */
  view(channelKey: string): View | null;
}

export function createRollupPlan(rollupAfter: number): RollupPlan {
  const channels = new Map<string, { claimed: number; threaded: Map<Severity, number> }>();
  return {
    claim(channelKey, severity) {
      let channel = channels.get(channelKey);
      if (!channel) {
        channel = { claimed: 0, threaded: new Map() };
        channels.set(channelKey, channel);
      }
      channel.claimed += 1;
      if (channel.claimed <= rollupAfter) return false;
      channel.threaded.set(severity, (channel.threaded.get(severity) ?? 0) + 1);
      return true;
    },
    view(channelKey) {
      const threaded = channels.get(channelKey)?.threaded;
      return threaded && threaded.size > 0 ? rollupView(threaded) : null;
    },
  };
}

/** "37 more DLP incidents breached or due soon — listed in this thread", with a count per severity. */
export function rollupView(bySeverity: ReadonlyMap<Severity, number>): View {
  const total = [...bySeverity.values()].reduce((sum, n) => sum + n, 0);
  const title = `${total} more DLP incident${total === 1 ? '' : 's'} breached or due soon — listed in this thread`;
  const counts = SEVERITIES.flatMap((severity) => {
    const n = bySeverity.get(severity) ?? 0;
    return n > 0 ? [`${n} ${severity}`] : [];
  });
  return {
    title,
    tone: 'danger',
    blocks: [
      { type: 'header', text: title },
      { type: 'context', text: counts.join(' · ') },
    ],
  };
}
