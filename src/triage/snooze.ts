import { formatUtc } from '../views/format.js';
import type { ActionResult, ActionSpec } from './action-spec.js';

const HOUR_MS = 3_600_000;

/**
 * "Snooze reminders for 1h/4h" on a reminder DM. It mutes reminders to the clicker only: the incident's SLA
 * clock, its channel card, breach posts and escalation are untouched, and the snooze ends on its own.
 */
export const snoozeAction: ActionSpec<'snooze'> = {
  action: 'snooze',
  auditAction: 'reminders.snooze',
  requiredRole: 'viewer',
  doing: 'Snoozing reminders',
  fingerprint: (request) => String(request.hours),
  async execute(request, { clicker }, { clock }): Promise<ActionResult> {
    const until = new Date(clock.now().getTime() + request.hours * HOUR_MS);
    return {
      kind: 'personal',
      text: `Reminders snoozed until ${formatUtc(until)}. The SLA clock keeps running; breaches and escalations still post.`,
      detail: { hours: request.hours, until: until.toISOString() },
      record: (store) => store.notices.snooze(clicker.surface, clicker.userId, until),
    };
  },
};
