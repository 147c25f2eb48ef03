import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { refLabel } from '../../../src/domain/vendor-id.js';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { Action } from '../../../src/ports/actions.js';
import type { AnswerDeadline } from '../../../src/ports/chat.js';
import { type ClickContext, type PersonLookup, REDRAW_ACTION, type TriageOutcome } from '../../../src/ports/inbound.js';
import { encodeButtonValue } from '../../../src/views/button-value.js';
import { idsOf } from '../../../src/views/form.js';
import type { View } from '../../../src/views/view.js';
import { BACK_VERB, parseCardTarget, readCardClick, renderCard, renderPrivateCard } from './card/index.js';
import { channelOf } from './conversations.js';
import { errorText, INVOKE_CARD, INVOKE_MESSAGE, outcomeText } from './reply.js';
import type { WireDeps } from './wire.js';
import type { TeamsHandler } from './wire-context.js';

/**
 * Teams shows an error on the card when an invoke is not answered within about 5 seconds; a slow vendor call
 * goes on after this, and the shared card shows its result when it lands.
 */
const ANSWER_WITHIN_MS = 4_000;
const STILL_WORKING = 'Working on it: the card will show the result in a moment.';

/** The verb entry that answers every verb no other entry names (a tampered card, a card from an older release). */
export const ANY_VERB = '*';

type InvokeBody = { statusCode: 200; type: string; value: unknown };

const message = (text: string): InvokeBody => ({ statusCode: 200, type: INVOKE_MESSAGE, value: text });
const cardBody = (card: unknown): InvokeBody => ({ statusCode: 200, type: INVOKE_CARD, value: card });
const answerFor = (outcome: Exclude<TriageOutcome, { kind: 'snippets' }>) => message(outcomeText(outcome));

/** Sent by us, so teams-ai never answers for us (it would turn a card with `refresh` into a shared update). */
async function respond(context: TurnContext, body: InvokeBody): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
}

interface InvokeValue {
  action?: { type?: string; verb?: unknown; data?: unknown };
  trigger?: string;
}

/** One card click, as every verb's handler gets it: the turn, its data, its context for the core and its log. */
interface CardInvoke {
  turn: TurnContext;
  data: unknown;
  click: ClickContext;
  log: Logger;
}

/**
 * The card-action part of Teams' handler table: every action's verb (its id and the ids older releases used), the
 * way back from the evidence view, and any other verb. Each makes gated core calls only.
 */
export function cardActionHandlers(deps: WireDeps): TeamsHandler[] {
  const actions = deps.handlers.actions().all.flatMap((action) =>
    idsOf(action).map(
      (verb): TeamsHandler => ({
        on: 'card_action',
        verb,
        gated: ['triage', 'refuse'],
        handle: (turn) => onCardAction(deps, turn, (invoke) => clicked(deps, action, verb, invoke)),
      }),
    ),
  );
  return [
    ...actions,
    {
      on: 'card_action',
      verb: BACK_VERB,
      gated: ['redraw', 'refuse'],
      handle: (turn) => onCardAction(deps, turn, (invoke) => backToCard(deps, invoke)),
    },
    {
      on: 'card_action',
      verb: ANY_VERB,
      gated: ['refuse'],
      handle: (turn) =>
        onCardAction(deps, turn, async ({ click }) => answerFor(deps.handlers.refuse({ reason: 'unreadable' }, click))),
    },
  ];
}

/**
 * An `Action.Execute` click on one of our cards. Everything the clicker is told (confirmation, refusal, evidence)
 * goes in the invoke response, which only their client sees; the shared card is updated by the core
 * (ChatSurface.update), never from here.
 */
async function onCardAction(
  deps: WireDeps,
  turn: TurnContext,
  answer: (invoke: CardInvoke) => Promise<InvokeBody>,
): Promise<void> {
  const value = (turn.activity.value ?? {}) as InvokeValue;
  if (value.trigger === 'automatic') {
    // Our cards carry no `refresh`; an automatic refresh must never cause a shared update (teams-ai v1 loop).
    await respond(turn, message(''));
    return;
  }
  const correlationId = newCorrelationId('click');
  const log = deps.logger.child({
    correlationId,
    verb: typeof value.action?.verb === 'string' ? value.action.verb : '',
  });
  try {
    const channel = channelOf(turn.activity.conversation.id);
    const click: ClickContext = {
      user: await deps.directory.sender(turn),
      channel,
      message: turn.activity.replyToId ? { surface: 'teams', channel, messageId: turn.activity.replyToId } : null,
      // A platform retry of the same invoke carries the same activity id; the core's window catches double clicks.
      requestId: turn.activity.id ?? correlationId,
      correlationId,
    };
    await respond(turn, await answer({ turn, data: value.action?.data, click, log }));
  } catch (error) {
    log.error({ err: error }, 'card action failed');
    await respond(turn, message(errorText(correlationId)));
  }
}

/** An action's button: its data read against the action's form, then the core's click path. */
async function clicked(deps: WireDeps, action: Action, verb: string, invoke: CardInvoke): Promise<InvokeBody> {
  const { click, log } = invoke;
  const card = readCardClick(deps.handlers.actions(), verb, invoke.data);
  if (!card) {
    log.warn('card action could not be read');
    return answerFor(deps.handlers.refuse({ reason: 'unreadable', action: action.id }, click));
  }
  const { key } = card.target;
  log.info({ source: key.source, incident: refLabel(key), action: action.id }, 'card action');
  const request = {
    action: action.id,
    values: card.values,
    people: teamsPeople(deps, invoke.turn),
    redraw: { card: card.target.card },
  };
  const outcome = await answerInTime(deps.handlers.triage(request, key, click), deps.answerDeadline, log);
  if (!outcome) return message(STILL_WORKING);
  if (outcome.kind === 'snippets') {
    // Evidence replaces the card for the clicker only; it is never sent as a message, stored or logged.
    return cardBody(renderPrivateCard(outcome.view, { backTo: encodeButtonValue(key, card.target.card) }));
  }
  if (outcome.kind === 'done' && outcome.card && !outcome.card.tracked) {
    // A card no delivery updates (a `dlp show` answer, a DM) would go on showing the old state: redraw it for the
    // clicker, with what happened on top; a reminder DM stays a reminder.
    const view = withLine(outcome.card.view, outcomeText(outcome));
    return cardBody(renderCard(view, { analysts: deps.config.analysts }));
  }
  return answerFor(outcome);
}

/**
 * "Back to the incident" from the evidence view: the card the evidence was opened from (an incident card, a
 * reminder DM), as it stands now, for the clicker alone, through the gate like any other look at an incident.
 */
async function backToCard(deps: WireDeps, { data, click }: CardInvoke): Promise<InvokeBody> {
  const target = parseCardTarget(data);
  if (!target) return answerFor(deps.handlers.refuse({ reason: 'unreadable', action: REDRAW_ACTION }, click));
  const redrawn = await deps.handlers.redraw(target, click);
  if (!redrawn.ok) return answerFor(redrawn.outcome);
  return cardBody(renderCard(redrawn.card.view, { analysts: deps.config.analysts }));
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

const realDeadline: AnswerDeadline = (ms, expire) => {
  const timer = setTimeout(expire, ms);
  return () => clearTimeout(timer);
};

async function answerInTime(
  work: Promise<TriageOutcome>,
  deadline: AnswerDeadline | undefined,
  log: Logger,
): Promise<TriageOutcome | null> {
  let cancel = () => {};
  const late = new Promise<null>((resolve) => {
    cancel = (deadline ?? realDeadline)(ANSWER_WITHIN_MS, () => resolve(null));
  });
  work.catch((error: unknown) => log.error({ err: error }, 'card action failed after its answer'));
  try {
    return await Promise.race([work, late]);
  } finally {
    cancel();
  }
}

/** The view with one line under its header. */
function withLine(view: View, text: string): View {
  const at = view.blocks.findIndex((b) => b.type === 'header') + 1;
  return { ...view, blocks: [...view.blocks.slice(0, at), { type: 'context', text }, ...view.blocks.slice(at)] };
}
