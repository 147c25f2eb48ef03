import { Application, type TurnState } from '@microsoft/teams-ai';
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { type Logger, newCorrelationId } from '../../../src/log.js';
import type { AnswerDeadline } from '../../../src/ports/chat.js';
import {
  type InboundContext,
  type InboundHandlers,
  REDRAW_ACTION,
  type SurfaceRefusal,
} from '../../../src/ports/inbound.js';
import type { BotAdapter } from './adapter.js';
import { BACK_VERB } from './card/index.js';
import type { TeamsConfig } from './config.js';
import { type ConversationBook, channelOf } from './conversations.js';
import type { TeamsDirectory } from './directory.js';
import type { ServiceUrlPolicy } from './service-url.js';
import { activityTenant, isForeignTenant } from './tenant.js';
import { commandLine, onMessage } from './wire-command.js';
import { activitySender, type TeamsHandler } from './wire-context.js';
import { ANY_VERB, cardActionHandlers } from './wire-invoke.js';

export interface WireDeps {
  config: TeamsConfig;
  handlers: InboundHandlers;
  directory: TeamsDirectory;
  book: ConversationBook;
  bot: BotAdapter;
  /** Service URLs an activity may name: every reply to it goes there. */
  serviceUrls: ServiceUrlPolicy;
  logger: Logger;
  /** Times the invoke answer; real time unless a test expires it itself. */
  answerDeadline?: AnswerDeadline;
}

const CARD_ACTION = 'adaptiveCard/action';

const isCardAction = async (context: TurnContext) =>
  context.activity.type === ActivityTypes.Invoke && context.activity.name === CARD_ACTION;

/** Did this conversationUpdate/installationUpdate add or remove the bot itself? */
function botChange(context: TurnContext): 'added' | 'removed' | null {
  const a = context.activity;
  const botId = a.recipient?.id;
  if (a.type === ActivityTypes.InstallationUpdate) {
    if (a.action?.startsWith('add')) return 'added';
    if (a.action?.startsWith('remove')) return 'removed';
    return null;
  }
  if (a.membersAdded?.some((m) => m.id === botId)) return 'added';
  if (a.membersRemoved?.some((m) => m.id === botId)) return 'removed';
  return null;
}

const verbOf = (activity: Activity) => {
  const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' ? verb : '';
};

/**
 * Teams' handler table: every card-action verb (each action's, the way back from the evidence view, any other),
 * `dlp …` messages, and the updates that add or remove the bot (which only remember where it may post: they read
 * no incident and answer nothing). The application gets these and nothing else, so a test can walk the table.
 */
export function teamsHandlers(deps: WireDeps): TeamsHandler[] {
  const installed = async (context: TurnContext) => {
    if (botChange(context) !== 'added') return;
    await deps.book.rememberTeam(context);
    deps.handlers.placeAdded();
  };
  return [
    ...cardActionHandlers(deps),
    { on: 'message', gated: ['command'], handle: (context) => onMessage(deps, context) },
    { on: 'conversationUpdate', gated: [], handle: installed },
    { on: 'installationUpdate', gated: [], handle: installed },
  ];
}

/**
 * A turn from another tenant, refused before anything in it is used: its audit row is written by the core's gate
 * (a command by its name, a card action by its action, anything else as an unknown request), and an invoke gets 403.
 */
async function refuseTurn(deps: WireDeps, context: TurnContext, refused: SurfaceRefusal): Promise<void> {
  const { activity } = context;
  const correlationId = newCorrelationId(activity.type === ActivityTypes.Message ? 'cmd' : 'click');
  deps.logger.warn(
    { tenant: activityTenant(activity), type: activity.type, name: activity.name, correlationId },
    'Teams activity from another tenant refused',
  );
  const request: InboundContext = {
    user: activitySender(context),
    channel: activity.conversation?.id ? channelOf(activity.conversation.id) : null,
    requestId: activity.id ?? correlationId,
    correlationId,
    refused,
  };
  const line = activity.type === ActivityTypes.Message ? commandLine(activity.text ?? '', []) : null;
  if (line !== null) {
    await deps.handlers.command(line, request);
    return;
  }
  const verb = activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION ? verbOf(activity) : undefined;
  deps.handlers.refuse({ reason: refused, action: verb === BACK_VERB ? REDRAW_ACTION : verb }, request);
}

/**
 * The teams-ai Application: every turn from our tenant remembers its conversation (for proactive posts), and goes
 * to its entry in the handler table; a turn from another tenant is refused, with an audit row.
 */
export function createTeamsApplication(deps: WireDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: deps.bot.adapter,
    ...(deps.bot.appId ? { botAppId: deps.bot.appId } : {}),
    // The typing indicator is a POST per second until the first answer: noise for a bot that answers at once.
    startTypingTimer: false,
    removeRecipientMention: true,
  });
  // Only when inbound tokens are checked: unauthenticated (Playground, tests) anyone can claim any tenant anyway.
  const ownTenant = deps.bot.appId ? (deps.config.tenantIdEnv?.secret?.reveal() ?? '') : '';
  const refuse = async (context: TurnContext) => {
    if (context.activity.type !== ActivityTypes.Invoke) return false;
    await context.sendActivity({ type: 'invokeResponse', value: { status: 403 } });
    return false;
  };
  app.turn('beforeTurn', async (context) => {
    const { type, name, serviceUrl } = context.activity;
    if (ownTenant && isForeignTenant(context.activity, ownTenant)) {
      await refuseTurn(deps, context, 'wrong_tenant');
      return refuse(context);
    }
    // Every reply to this activity would go to its service URL, and its conversation be stored with it.
    if (!deps.serviceUrls.allows(serviceUrl ?? '')) {
      deps.logger.warn(
        { serviceUrl: String(serviceUrl ?? '').slice(0, 200), allowed: deps.serviceUrls.described, type, name },
        'Teams activity refused: its service URL is off the allowlist (chat.teams.serviceUrls)',
      );
      return refuse(context);
    }
    if (botChange(context) === 'removed') deps.book.uninstalled(context);
    else if (deps.book.remember(context)) deps.handlers.placeAdded();
    return true;
  });
  const table = teamsHandlers(deps);
  const verbs = new Map(table.flatMap((h) => (h.on === 'card_action' ? [[h.verb, h] as const] : [])));
  app.adaptiveCards.actionExecute(isCardAction, async (context) => {
    await (verbs.get(verbOf(context.activity)) ?? verbs.get(ANY_VERB))?.handle(context);
    return '';
  });
  for (const handler of table) {
    if (handler.on !== 'card_action') app.activity(handler.on, (context) => handler.handle(context));
  }
  return app;
}
