import { formatIncidentRef } from '../domain/incident.js';
import type { LocalAssignee } from '../store/index.js';
import {
  type ActionDeps,
  type ActionResult,
  type ActionSpec,
  type ActionSubject,
  actorOf,
  recordedHere,
} from './action-spec.js';
import { noEmailText, vendorUserFor } from './identity.js';
import type { ChatUser } from './types.js';

/** How the audit detail names an assignee: their email, else their chat id (never their display name alone). */
const auditName = (user: ChatUser) => user.email ?? `${user.surface}:${user.userId}`;

async function assignTo(target: ChatUser, subject: ActionSubject, deps: ActionDeps): Promise<ActionResult> {
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
    text: `${self ? 'You took' : `Assigned to ${target.display}:`} ${ref} in ${source.displayName}.`,
    line: done,
    detail: { to: who.id, recordedIn: 'vendor' },
    expected: (current) => ({ ...current, assignee: who.id }),
  };
}

export const assignAction: ActionSpec<'assign'> = {
  action: 'assign',
  auditAction: 'incident.assign',
  requiredRole: 'analyst',
  doing: 'Assigning incidents',
  fingerprint: (request) => `${request.assignee.surface}:${request.assignee.userId}`,
  execute: (request, subject, deps) => assignTo(request.assignee, subject, deps),
};

/** "Take it": assign to oneself. */
export const takeAction: ActionSpec<'take'> = {
  action: 'take',
  auditAction: 'incident.take',
  requiredRole: 'analyst',
  doing: 'Taking incidents',
  fingerprint: () => '',
  execute: (_request, subject, deps) => assignTo(subject.clicker, subject, deps),
};
