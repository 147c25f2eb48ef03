import type { TurnContext } from 'botbuilder';
import { newCorrelationId } from '../../../src/log.js';
import { encodeButtonValue } from '../../../src/triage/button-value.js';
import type { ClickContext, TriageOutcome, TriageRequest } from '../../../src/triage/types.js';
import type { View } from '../../../src/views/view.js';
import {
  BACK_VERB,
  type CardAction,
  parseCardAction,
  parseCardTarget,
  renderCard,
  renderPrivateCard,
} from './card/index.js';
import { channelOf } from './conversations.js';
import { errorText, INVOKE_CARD, INVOKE_MESSAGE, outcomeText } from './reply.js';
import type { WireDeps } from './wire.js';

/**
 * Teams shows an error on the card when an invoke is not answered within about 5 seconds; a slow vendor call
 * goes on after this, and the shared card shows its result when it lands.
 */
const ANSWER_WITHIN_MS = 4_000;
const STILL_WORKING = 'Working on it: the card will show the result in a moment.';

type InvokeBody = { statusCode: 200; type: string; value: unknown };

const message = (text: string): InvokeBody => ({ statusCode: 200, type: INVOKE_MESSAGE, value: text });
const cardBody = (card: unknown): InvokeBody => ({ statusCode: 200, type: INVOKE_CARD, value: card });

/** Actions that change what the incident card shows (a snooze changes only the clicker's reminders). */
const REDRAWN = new Set<CardAction['action']>(['take', 'assign', 'note', 'false_positive']);

/** Sent by us, so teams-ai never answers for us (it would turn a card with `refresh` into a shared update). */
async function respond(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
}

interface InvokeValue {
  action?: { type?: string; verb?: unknown; data?: unknown };
  trigger?: string;
}

/**
 * An `Action.Execute` click on an incident card. Everything the clicker is told (confirmation, refusal,
 * evidence) goes in the invoke response, which only their client sees; the shared card is updated by the
 * core (ChatSurface.update), never from here.
 */
export async function onCardAction(deps: WireDeps, context: TurnContext): Promise<void> {
  const value = (context.activity.value ?? {}) as InvokeValue;
  if (value.trigger === 'automatic') {
    // Our cards carry no `refresh`; an automatic refresh must never cause a shared update (teams-ai v1 loop).
    await respond(context, message(''));
    return;
  }
  const correlationId = newCorrelationId('click');
  const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
  const log = deps.logger.child({ correlationId, verb });
  try {
    if (verb === BACK_VERB) {
      await respond(context, await backToCard(deps, value.action?.data));
      return;
    }
    const action = parseCardAction(verb, value.action?.data);
    if (!action) {
      log.warn('card action could not be read');
      await respond(context, message('That button could not be read; it may be from an older card.'));
      return;
    }
    const channel = channelOf(context.activity.conversation.id);
    const click: ClickContext = {
      user: await deps.directory.sender(context),
      channel,
      message: context.activity.replyToId ? { surface: 'teams', channel, messageId: context.activity.replyToId } : null,
      // A platform retry of the same invoke carries the same activity id; the core's window catches double clicks.
      requestId: context.activity.id ?? correlationId,
      correlationId,
    };
    if ('kind' in action) {
      // Something the person typed cannot be used (an empty note, not an email): the core checks the role first,
      // then audits the attempt as failed with the problem's code, never the text.
      const { problem, text, field } = action;
      const refused = await deps.handlers.rejectInput(action.action, action.key, click, { problem, text, field });
      await respond(context, await bodyFor(deps, action, click, refused));
      return;
    }
    const request = await toRequest(deps, context, action, click);
    if ('kind' in request) {
      await respond(context, await bodyFor(deps, action, click, request));
      return;
    }
    log.info({ source: action.key.source, incident: action.key.id, action: action.action }, 'card action');
    const outcome = await answerInTime(deps.handlers.triage(request, action.key, click), log);
    await respond(context, await bodyFor(deps, action, click, outcome));
  } catch (error) {
    log.error({ err: error }, 'card action failed');
    await respond(context, message(errorText(correlationId)));
  }
}

/** The request to run, or the answer already given (a refusal, an unknown assignee), audited by the core. */
async function toRequest(
  deps: WireDeps,
  context: TurnContext,
  action: CardAction,
  click: ClickContext,
): Promise<TriageRequest | TriageOutcome> {
  switch (action.action) {
    case 'take':
      return { action: 'take' };
    case 'assign': {
      // The role check comes before the directory lookup, so a viewer cannot learn who is in the team.
      const refused = await deps.handlers.permit('assign', action.key, click);
      if (refused) return refused;
      const assignee = await deps.directory.assignee(context, action.email);
      if (assignee) return { action: 'assign', assignee };
      const text = `No one with the email ${action.email} is in this team or chat, or among the configured analysts.`;
      return deps.handlers.rejectInput('assign', action.key, click, {
        problem: 'unknown_assignee',
        text,
        field: 'email',
      });
    }
    case 'note':
      return { action: 'note', text: action.text };
    case 'false_positive':
      return { action: 'false_positive', reason: action.reason };
    case 'snippets':
      return { action: 'snippets' };
    case 'snooze':
      return { action: 'snooze', hours: action.hours };
  }
}

async function answerInTime(work: Promise<TriageOutcome>, log: WireDeps['logger']): Promise<TriageOutcome | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ANSWER_WITHIN_MS);
  });
  work.catch((error: unknown) => log.error({ err: error }, 'card action failed after its answer'));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function bodyFor(
  deps: WireDeps,
  action: Pick<CardAction, 'action' | 'key' | 'card'>,
  click: ClickContext,
  outcome: TriageOutcome | null,
): Promise<InvokeBody> {
  if (!outcome) return message(STILL_WORKING);
  if (outcome.kind === 'snippets') {
    // Evidence replaces the card for the clicker only; it is never sent as a message, stored or logged.
    return cardBody(renderPrivateCard(outcome.view, { backTo: encodeButtonValue(action.key, action.card) }));
  }
  if (outcome.kind === 'done' && REDRAWN.has(action.action)) {
    // A card no delivery updates (a `dlp show` answer, a DM) would go on showing the old state: redraw it for
    // the clicker, with what happened on top; a reminder DM stays a reminder.
    const current = await deps.handlers.card(action.key, click.message, action.card);
    if (current && !current.tracked) {
      return cardBody(renderCard(withLine(current.view, outcomeText(outcome)), { analysts: deps.config.analysts }));
    }
  }
  return message(outcomeText(outcome));
}

/** The view with one line under its header. */
function withLine(view: View, text: string): View {
  const at = view.blocks.findIndex((b) => b.type === 'header') + 1;
  return { ...view, blocks: [...view.blocks.slice(0, at), { type: 'context', text }, ...view.blocks.slice(at)] };
}

/**
 * "Back to the incident" from the evidence view: the card the evidence was opened from (an incident card, a
 * reminder DM), as it stands now, for the clicker alone.
 */
async function backToCard(deps: WireDeps, data: unknown): Promise<InvokeBody> {
  const target = parseCardTarget(data);
  if (!target) return message('That button could not be read; it may be from an older card.');
  const current = await deps.handlers.card(target.key, null, target.card);
  if (!current) return message("That incident is no longer in dlp-bot's records.");
  return cardBody(renderCard(current.view, { analysts: deps.config.analysts }));
}
