import { CLOSED_STATUSES, formatIncidentRef, type Incident } from '../domain/incident.js';
import type { SlaEvaluation } from '../domain/sla.js';
import { type CardKind, encodeButtonValue } from '../views/button-value.js';
import { formatDuration } from '../views/format.js';
import type { Block, View } from '../views/view.js';
import { actionButtons, type CardActions } from './action-buttons.js';

/** Puts one line above a card, keeping the card's buttons and subject. */
export function withLead(card: View, title: string, line: string): View {
  return { ...card, title, blocks: [{ type: 'text', text: line }, ...card.blocks] };
}

type NoticeSubject = Pick<Incident, 'source' | 'id' | 'status'>;

const closedAs = (incident: NoticeSubject) => `closed (${incident.status.replace('_', ' ')})`;

function escalationTitle(incident: NoticeSubject, sla: SlaEvaluation | null): string {
  const ref = formatIncidentRef(incident);
  if (CLOSED_STATUSES.has(incident.status)) return `Escalated: ${ref} is ${closedAs(incident)}`;
  if (!sla) return `Escalated: ${ref} no longer awaits triage`;
  return `Escalated: ${ref} is ${formatDuration(sla.overdueMs)} past its SLA`;
}

/**
 * The escalation post (lead channels) and DM (assignee). Drawn again, with the incident as it stands then, when
 * the DM is updated or a click redraws the card (Teams): closed, it says so and the card has no buttons left.
 */
export function escalationView(card: View, incident: NoticeSubject, sla: SlaEvaluation | null): View {
  const title = escalationTitle(incident, sla);
  const line = CLOSED_STATUSES.has(incident.status)
    ? `${title}: no longer needs attention.`
    : sla
      ? `${title}: it has waited past the escalation point without triage.`
      : `${title}.`;
  return withLead({ ...card, blocks: markButtons(card.blocks, incident, 'escalation') }, title, line);
}

function reminderTitle(incident: NoticeSubject, sla: SlaEvaluation | null): string {
  const ref = formatIncidentRef(incident);
  if (CLOSED_STATUSES.has(incident.status)) return `Reminder: ${ref} is ${closedAs(incident)}`;
  if (!sla) return `Reminder: ${ref} no longer awaits triage`;
  if (sla.overdueMs > 0) return `Reminder: ${ref} is ${formatDuration(sla.overdueMs)} past its SLA`;
  return `Reminder: ${ref} breaches its SLA in ${formatDuration(sla.remainingMs)}`;
}

/** The card's buttons, each marked as sitting on `kind`: a click that redraws the card draws that kind again. */
function markButtons(blocks: readonly Block[], key: NoticeSubject, kind: CardKind): Block[] {
  const value = encodeButtonValue(key, kind);
  return blocks.map((b) => (b.type === 'actions' ? { ...b, buttons: b.buttons.map((x) => ({ ...x, value })) } : b));
}

/** A notice card drawn again (a DM update, a click's redraw) as the kind it was sent as, for the incident now. */
export function noticeView(
  kind: CardKind,
  card: View,
  incident: Incident,
  sla: SlaEvaluation | null,
  actions: CardActions,
): View {
  return kind === 'reminder' ? reminderView(card, incident, sla, actions) : escalationView(card, incident, sla);
}

/**
 * The reminder DM: the card, then the reminder actions' buttons (snoozing: they mute reminders only, never the
 * SLA clock). The
 * same view is drawn again when a click redraws the DM's card (Teams), with the incident as it stands then:
 * `sentToOwner` only on the DM itself, which goes to the owner; and once the incident is closed the snooze
 * buttons go, as there is nothing left to remind about (while it is open they stay, whoever holds it now:
 * a snooze mutes only the clicker's own reminders).
 */
export function reminderView(
  card: View,
  incident: Incident,
  sla: SlaEvaluation | null,
  actions: CardActions,
  options: { sentToOwner?: boolean } = {},
): View {
  const title = reminderTitle(incident, sla);
  const blocks = markButtons(card.blocks, incident, 'reminder');
  if (CLOSED_STATUSES.has(incident.status)) {
    return { ...card, title, blocks: [{ type: 'text', text: `${title}: nothing left to remind about.` }, ...blocks] };
  }
  const value = encodeButtonValue(incident, 'reminder');
  return {
    ...card,
    title,
    blocks: [
      { type: 'text', text: options.sentToOwner ? `${title}. You hold it.` : `${title}.` },
      ...blocks,
      { type: 'actions', buttons: actionButtons(actions, 'reminder', incident, value) },
      { type: 'context', text: 'Snoozing mutes reminders to you only; the SLA clock keeps running.' },
    ],
  };
}
