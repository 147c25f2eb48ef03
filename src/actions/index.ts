import type { ActionSpec } from '../ports/actions.js';
import { addNoteAction } from './add-note.js';
import { assignAction } from './assign.js';
import { falsePositiveAction } from './false-positive.js';
import { snippetsAction } from './snippets.js';
import { snooze1hAction, snooze4hAction } from './snooze.js';
import { takeAction } from './take.js';

/**
 * The registry: every triage action, in the order cards show their buttons. Adding one is a file plus a line
 * here; the composition root hands this list down (tests extend it), and the config settles it into a table.
 */
export const ACTIONS: readonly ActionSpec[] = [
  takeAction,
  assignAction,
  addNoteAction,
  falsePositiveAction,
  snippetsAction,
  snooze1hAction,
  snooze4hAction,
];
