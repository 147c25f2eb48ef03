import type { ActionSpec } from './action-spec.js';
import { addNoteAction } from './add-note.js';
import { assignAction, takeAction } from './assign.js';
import { falsePositiveAction } from './false-positive.js';
import { snippetsAction } from './snippets.js';
import { snoozeAction } from './snooze.js';
import type { TriageAction } from './types.js';

/** The route table: every triage action, by the action name a TriageRequest carries. */
export const TRIAGE_ACTIONS: { readonly [A in TriageAction]: ActionSpec<A> } = {
  assign: assignAction,
  take: takeAction,
  note: addNoteAction,
  false_positive: falsePositiveAction,
  snippets: snippetsAction,
  snooze: snoozeAction,
};
