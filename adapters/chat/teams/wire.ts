import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from '../../../src/log.js';
import type { InboundHandlers } from '../../../src/ports/inbound.js';
import type { BotAdapter } from './adapter.js';
import type { TeamsConfig } from './config.js';
import type { ConversationBook } from './conversations.js';
import type { TeamsDirectory } from './directory.js';
import type { ServiceUrlPolicy } from './service-url.js';
import { activityTenant, isForeignTenant } from './tenant.js';
import { onMessage } from './wire-command.js';
import { onCardAction } from './wire-invoke.js';

export interface WireDeps {
  config: TeamsConfig;
  handlers: InboundHandlers;
  directory: TeamsDirectory;
  book: ConversationBook;
  bot: BotAdapter;
  /** Service URLs an activity may name: every reply to it goes there. */
  serviceUrls: ServiceUrlPolicy;
  logger: Logger;
}

const isCardAction = async (context: TurnContext) =>
  context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action';

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

/**
 * The teams-ai Application: every turn remembers its conversation (for proactive posts), installs in a team
 * remember all its channels, card clicks go to the core's triage, `dlp …` messages to its commands.
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
      deps.logger.warn(
        { tenant: activityTenant(context.activity), type, name },
        'Teams activity from another tenant refused',
      );
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
  app.adaptiveCards.actionExecute(isCardAction, async (context) => {
    await onCardAction(deps, context);
    return '';
  });
  const installed = async (context: TurnContext) => {
    if (botChange(context) !== 'added') return;
    await deps.book.rememberTeam(context);
    deps.handlers.placeAdded();
  };
  app.activity(ActivityTypes.ConversationUpdate, installed);
  app.activity(ActivityTypes.InstallationUpdate, installed);
  app.activity(ActivityTypes.Message, async (context) => onMessage(deps, context));
  return app;
}
