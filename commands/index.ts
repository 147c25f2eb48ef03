import { ACTIONS } from '../src/actions/index.js';
import type { ActionSpec } from '../src/ports/actions.js';
import aging from './aging.js';
import auditExport from './audit-export.js';
import auditVerify from './audit-verify.js';
import backup from './backup.js';
import type { CommandSpec } from './command.js';
import configCheck from './config-check.js';
import digest from './digest.js';
import doctor from './doctor.js';
import help from './help.js';
import history from './history.js';
import jobs from './jobs.js';
import mine from './mine.js';
import outboxList from './outbox-list.js';
import outboxRetry from './outbox-retry.js';
import scan from './scan.js';
import serve from './serve.js';
import show from './show.js';
import simulate from './simulate.js';
import sla from './sla.js';
import storeForget from './store-forget.js';
import storePrune from './store-prune.js';
import { triageCommands } from './triage.js';

/**
 * Every subcommand, in the order `--help` lists them. Adding a command is one file plus one line here;
 * help text, chat `/dlp` parsing and the Slack manifest check all read this list. The triage commands
 * (`take`, `assign`, …) come from the action registry given, one per action the terminal offers.
 */
export const commandsFor = (actions: readonly ActionSpec[]): readonly CommandSpec[] => [
  serve,
  scan,
  aging,
  mine,
  show,
  ...triageCommands(actions),
  history,
  digest,
  sla,
  jobs,
  doctor,
  outboxList,
  outboxRetry,
  configCheck,
  auditVerify,
  auditExport,
  storeForget,
  storePrune,
  backup,
  simulate,
  // Last, so the overview reads from the work itself down to the way to learn more.
  help,
];

export const COMMANDS = commandsFor(ACTIONS);
