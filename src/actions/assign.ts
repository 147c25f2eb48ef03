import { formatIncidentRef } from '../domain/incident.js';
import {
  type ActionDeps,
  type ActionResult,
  type ActionSpec,
  type ActionSubject,
  actorOf,
  confirmedDetail,
  confirmedText,
  recordedHere,
} from '../ports/actions.js';
import type { ChatUser } from '../ports/inbound.js';
import type { LocalAssignee } from '../store/index.js';
import { noEmailText, vendorUserFor } from './identity.js';

/** How the audit detail names an assignee: their email, else their chat id (never their display name alone). */
const auditName = (user: ChatUser) => user.email ?? `${user.surface}:${user.userId}`;

/** Assigns to `target`, in the vendor when it can, else here; the clicker themselves is "taking" it. */
export async function assignTo(target: ChatUser, subject: ActionSubject, deps: ActionDeps): Promise<ActionResult> {
  const { source, incident, clicker, actorId } = subject;
  const self = target.surface === clicker.surface && target.userId === clicker.userId;
  const ref = formatIncidentRef(incident);
  const done = self ? `Taken by ${clicker.display}` : `Assigned to ${target.display} by ${clicker.display}`;

  const local = (): ActionResult => {
    const assignee: LocalAssignee = {
      email: target.email,
      display: target.display,
      surface: target.surface,
      chatUserId: target.userId,
    };
    return {
      kind: 'changed',
      recordedIn: 'local',
      text: `${self ? 'You took' : `Assigned to ${target.display}:`} ${ref} — ${recordedHere(source)}.`,
      line: `${done} — ${recordedHere(source)}`,
      detail: { to: auditName(target), recordedIn: 'local' },
      recordLocal: (store, at) => store.triage.setAssignee(incident, assignee, actorId, at),
    };
  };

  if (!source.capabilities.assign) return local();
  const who = vendorUserFor(source.id, target, deps.identity);
  if (!who) {
    return {
      kind: 'invalid',
      text: noEmailText(target.display, self),
      ...(self ? {} : { field: 'assignee' }),
      detail: { invalid: 'no_email' },
    };
  }
  const result = await source.assign(incident.id, who, actorOf(clicker));
  if (!result.ok) return { kind: 'failed', error: result.error, detail: { to: who.id } };
  // The adapter may still decline to write to the vendor (a tenant without the module): then it lives here.
  if (result.value.recordedIn === 'local') return local();
  return {
    kind: 'changed',
    recordedIn: 'vendor',
    text: `${self ? 'You took' : `Assigned to ${target.display}:`} ${ref} in ${source.displayName}${confirmedText(result.value, source)}.`,
    line: done,
    detail: { to: who.id, recordedIn: 'vendor', ...confirmedDetail(result.value) },
    expected: (current) => ({ ...current, assignee: who.id }),
  };
}

/** Whom the card names as owner decides the button's words: "Assign" while nobody holds it, else "Reassign". */
export const assignAction: ActionSpec = {
  id: 'incident.assign',
  legacyIds: ['dlp.assign', 'dlp.modal.assign'],
  label: (incident) => (incident.assignee ? 'Reassign' : 'Assign'),
  card: 'incident',
  role: 'analyst',
  doing: 'Assigning incidents',
  redraws: true,
  cli: { name: 'assign', summary: 'Assign an incident to someone, by email' },
  form: {
    title: 'Assign incident',
    submit: 'Assign',
    fields: [
      {
        kind: 'person',
        id: 'assignee',
        label: 'Assign to',
        required: true,
        empty: 'Choose who should own this incident.',
        placeholder: 'Choose a person',
        flag: 'to',
        example: 'alice@corp.example',
        // Teams cards posted before actions were declared once: the analyst picker and the email box.
        legacyIds: ['dlpAnalyst', 'dlpEmail'],
      },
    ],
    alternative: {
      action: 'incident.take',
      label: 'Take it',
      check: 'Assign to me',
      hint: '“Assign to me” does what Take it does: the incident becomes yours.',
      legacyIds: ['assign_to_me'],
    },
  },
  async execute(input, subject, deps) {
    const assignee = input.people.assignee;
    // The form declares the field required, so the core never runs this without one; a bug must not assign anyone.
    if (!assignee) throw new TypeError('incident.assign ran without an assignee');
    return assignTo(assignee, subject, deps);
  },
};
