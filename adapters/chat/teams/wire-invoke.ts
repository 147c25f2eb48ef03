import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { newCorrelationId } from '../../../src/log.js';
import type { ClickContext, PersonLookup, TriageOutcome } from '../../../src/ports/inbound.js';
import { encodeButtonValue } from '../../../src/views/button-value.js';
import type { View } from '../../../src/views/view.js';
import {
  BACK_VERB,
  type CardClick,
  parseCardTarget,
  readCardClick,
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
    const clicked = readCardClick(deps.handlers.actions(), verb, value.action?.data);
    if (!clicked) {
      log.warn('card action could not be read');
      await respond(context, message('That button could not be read; it may be from an older card.'));
      return;
    }
    const { action, target } = clicked;
    const channel = channelOf(context.activity.conversation.id);
    const click: ClickContext = {
      user: await deps.directory.sender(context),
      channel,
      message: context.activity.replyToId ? { surface: 'teams', channel, messageId: context.activity.replyToId } : null,
      // A platform retry of the same invoke carries the same activity id; the core's window catches double clicks.
      requestId: context.activity.id ?? correlationId,
      correlationId,
    };
    log.info({ source: target.key.source, incident: target.key.id, action: action.id }, 'card action');
    const request = { action: action.id, values: clicked.values, people: teamsPeople(deps, context) };
    const outcome = await answerInTime(deps.handlers.triage(request, target.key, click), log);
    await respond(context, await bodyFor(deps, clicked, click, outcome));
  } catch (error) {
    log.error({ err: error }, 'card action failed');
    await respond(context, message(errorText(correlationId)));
  }
}

const Email = z.email().max(254);

/**
 * An assignee as typed or picked: an email of someone in this team or chat, or of a configured analyst (Teams'
 * roster answers only for members). The core asks only after the role check, so a viewer cannot probe the roster.
 */
function teamsPeople(deps: WireDeps, context: TurnContext): (raw: string) => Promise<PersonLookup> {
  return async (raw) => {
    if (!Email.safeParse(raw).success) {
      return {
        ok: false,
        problem: 'not_an_email',
        text: 'That is not an email address; type one like name@example.com.',
      };
    }
    const user = await deps.directory.assignee(context, raw);
    if (user) return { ok: true, user };
    const text = `No one with the email ${raw} is in this team or chat, or among the configured analysts.`;
    return { ok: false, problem: 'unknown_assignee', text };
  };
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
  { action, target }: CardClick,
  click: ClickContext,
  outcome: TriageOutcome | null,
): Promise<InvokeBody> {
  if (!outcome) return message(STILL_WORKING);
  if (outcome.kind === 'snippets') {
    // Evidence replaces the card for the clicker only; it is never sent as a message, stored or logged.
    return cardBody(renderPrivateCard(outcome.view, { backTo: encodeButtonValue(target.key, target.card) }));
  }
  if (outcome.kind === 'done' && action.redraws) {
    // A card no delivery updates (a `dlp show` answer, a DM) would go on showing the old state: redraw it for
    // the clicker, with what happened on top; a reminder DM stays a reminder.
    const current = await deps.handlers.card(target.key, click.message, target.card);
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
