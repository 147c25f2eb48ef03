import type { ChatUser, TriageRequest } from '../../src/ports/inbound.js';

/** Requests as a surface sends them to the core: action ids, and what the form held, raw, by field id. */
export const TAKE: TriageRequest = { action: 'incident.take' };
export const SNIPPETS: TriageRequest = { action: 'incident.snippets' };
export const note = (text: string): TriageRequest => ({ action: 'incident.note', values: { note: [text] } });
export const falsePositive = (reason: string): TriageRequest => ({
  action: 'incident.false_positive',
  values: { reason: [reason] },
});

/** An assignment to `user`, picked by their chat id, as a surface that knows them would resolve it. */
export const assignTo = (user: ChatUser): TriageRequest => ({
  action: 'incident.assign',
  values: { assignee: [user.userId] },
  people: async () => ({ ok: true, user }),
});
