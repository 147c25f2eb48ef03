import type { ActionResult, ActionSpec } from '../ports/actions.js';
import { formatUtc } from '../views/format.js';

const HOUR_MS = 3_600_000;

/**
 * "Snooze reminders for 1h/4h" on a reminder DM. It mutes reminders to the clicker only: the incident's SLA
 * clock, its channel card, breach posts and escalation are untouched, and the snooze ends on its own. No console
 * command: reminders are chat DMs, so a terminal user has none to mute.
 */
function snoozeFor(hours: 1 | 4): ActionSpec {
  return {
    id: `reminders.snooze_${hours}h`,
    legacyIds: [`dlp.snooze_${hours}h`],
    label: `Snooze reminders ${hours}h`,
    card: 'reminder',
    role: 'viewer',
    doing: 'Snoozing reminders',
    redraws: false,
    async execute(_input, { clicker }, { clock }): Promise<ActionResult> {
      const until = new Date(clock.now().getTime() + hours * HOUR_MS);
      return {
        kind: 'personal',
        text: `Reminders snoozed until ${formatUtc(until)}. The SLA clock keeps running; breaches and escalations still post.`,
        detail: { hours, until: until.toISOString() },
        record: (store) => store.notices.snooze(clicker.surface, clicker.userId, until),
      };
    },
  };
}

export const snooze1hAction = snoozeFor(1);
export const snooze4hAction = snoozeFor(4);
