import { z } from 'zod';
import type { ActionSpec } from '../src/ports/actions.js';
import type { ChatUser, PersonLookup, TriageOutcome } from '../src/ports/inbound.js';
import type { Store } from '../src/store/index.js';
import { flagOf } from '../src/views/form.js';
import type { View } from '../src/views/view.js';
import type { CommandContext, CommandResult } from './command.js';
import type { TriageArgs } from './triage.js';

const Email = z.email().max(254);

/**
 * An assignee named by email on the command line: the chat user this bot has seen with that email (so reminders
 * reach them in Slack or Teams), else a person known by the email alone.
 */
function consolePeople(store: Store): (raw: string) => Promise<PersonLookup> {
  return async (raw) => {
    const email = raw.trim();
    if (!Email.safeParse(email).success) {
      return {
        ok: false,
        problem: 'not_an_email',
        text: 'That is not an email address; give one like name@example.com.',
      };
    }
    const seen = store.identities.byEmail(email).find((identity) => identity.surface !== 'console');
    const user: ChatUser = seen
      ? { surface: seen.surface, userId: seen.chatUserId, display: seen.displayName ?? email, email, groups: [] }
      : { surface: 'console', userId: email, display: email, email, groups: [] };
    return { ok: true, user };
  };
}

/** The terminal's answer to an outcome, and the exit code: 0 done, 1 refused or failed, 2 input to fix. */
function answer(action: ActionSpec, outcome: TriageOutcome, updated: number): CommandResult {
  const said = (tone: View['tone'], text: string, more: string[] = []): View => ({
    title: text,
    tone,
    blocks: more.map((line) => ({ type: 'context', text: line })),
  });
  switch (outcome.kind) {
    case 'done':
      return {
        view: said(
          'good',
          outcome.text,
          updated > 0 ? [`${updated} card${updated === 1 ? '' : 's'} brought up to date.`] : [],
        ),
      };
    case 'duplicate':
      return { view: said('neutral', outcome.text) };
    case 'snippets':
      // Masked by the core, shown here only: nothing of it is logged, stored or returned as data.
      return { view: outcome.view };
    case 'denied':
      return { view: said('warning', outcome.text), exitCode: 1 };
    case 'invalid': {
      const field = action.form?.fields.find((f) => f.id === outcome.field);
      return { view: said('warning', outcome.text, field ? [`Give it with --${flagOf(field)}.`] : []), exitCode: 2 };
    }
    case 'failed':
      return {
        view: said('danger', outcome.text, [`Correlation id ${outcome.correlationId}: quote it when asking for help.`]),
        exitCode: 1,
      };
  }
}

/**
 * One triage action from the terminal, through the same core click path as a button: the config's roles (the
 * person is the OS user, or `--as <email>`), the vendor call, the audit row (surface `console`); then delivery, so
 * the incident's cards in Slack and Teams show the change before the command returns.
 */
export async function runTriage(action: ActionSpec, args: TriageArgs, ctx: CommandContext): Promise<CommandResult> {
  const runtime = ctx.runtime();
  // The vendor is called: never against an endpoint other than the one the stored incident came from.
  await runtime.requireOrigins();
  const bot = await runtime.bot();
  let changed = false;
  const handlers = bot.triage(() => {
    changed = true;
  });
  const user: ChatUser = {
    surface: 'console',
    userId: ctx.invoker.userId,
    display: args.as ?? ctx.invoker.display,
    email: args.as,
    groups: [],
  };
  const context = {
    user,
    channel: null,
    message: null,
    requestId: ctx.correlationId,
    correlationId: ctx.correlationId,
  };
  const request = { action: action.id, values: args.values, people: consolePeople(runtime.store()) };
  const outcome = await handlers.triage(request, args.key, context);
  const delivered = changed ? await bot.deliver({ urgent: true }) : null;
  return answer(action, outcome, delivered?.updated ?? 0);
}
