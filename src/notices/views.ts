import { formatIncidentRef } from '../domain/incident.js';
import type { SlaEvaluation } from '../domain/sla.js';
import { ACTION_IDS } from '../triage/action-ids.js';
import { encodeButtonValue } from '../triage/button-value.js';
import { formatDuration } from '../views/format.js';
import type { View } from '../views/view.js';

/** Puts one line above a card, keeping the card's buttons and subject. */
export function withLead(card: View, title: string, line: string): View {
  return { ...card, title, blocks: [{ type: 'text', text: line }, ...card.blocks] };
}

export function escalationView(card: View, key: { source: string; id: string }, sla: SlaEvaluation): View {
  const title = `Escalated: ${formatIncidentRef(key)} is ${formatDuration(sla.overdueMs)} past its SLA`;
  return withLead(card, title, `${title}: it has waited past the escalation point without triage.`);
}

/** The reminder DM: the card, then the two snooze buttons (they mute reminders only, never the SLA clock). */
export function reminderView(card: View, key: { source: string; id: string }, sla: SlaEvaluation): View {
  const title = `Reminder: ${formatIncidentRef(key)} breaches its SLA in ${formatDuration(sla.remainingMs)}`;
  const value = encodeButtonValue(key);
  return {
    ...card,
    title,
    blocks: [
      { type: 'text', text: `${title}. You hold it.` },
      ...card.blocks,
      {
        type: 'actions',
        buttons: [
          { actionId: ACTION_IDS.snooze1h, label: 'Snooze reminders 1h', value },
          { actionId: ACTION_IDS.snooze4h, label: 'Snooze reminders 4h', value },
        ],
      },
      { type: 'context', text: 'Snoozing mutes reminders to you only; the SLA clock keeps running.' },
    ],
  };
}
