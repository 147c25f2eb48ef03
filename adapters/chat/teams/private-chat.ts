import { type ConversationParameters, type ConversationReference, TurnContext } from 'botbuilder';
import type { Conversation } from './conversations.js';
import type { WireDeps } from './wire.js';

/** The audience of tokens for the Bot Framework connector (botframework-connector's ToChannelFromBotOAuthScope). */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

/**
 * The asker's 1:1 chat with the bot, opened (`POST v3/conversations`) when they have never written to it:
 * Teams has no ephemeral messages, so private answers to channel commands go there. Null if Teams refuses
 * (the app is not available to that person).
 */
export async function privateChatWith(
  deps: WireDeps,
  context: TurnContext,
  userAadId: string,
): Promise<Conversation | null> {
  const existing = deps.book.personal(userAadId);
  if (existing) return existing;
  const activity = context.activity;
  const tenantId =
    activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const parameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [{ id: activity.from.id, name: activity.from.name }],
    ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
  } as ConversationParameters;
  let reference: Partial<ConversationReference> | undefined;
  try {
    await deps.bot.adapter.createConversationAsync(
      deps.bot.appId,
      activity.channelId,
      activity.serviceUrl,
      CONNECTOR_AUDIENCE,
      parameters,
      async (created) => {
        reference = TurnContext.getConversationReference(created.activity);
      },
    );
  } catch (error) {
    deps.logger.warn(
      { status: (error as { statusCode?: number })?.statusCode ?? null },
      'could not open a private chat with the asker',
    );
    return null;
  }
  if (!reference) return null;
  deps.book.rememberPersonal(reference, userAadId);
  return deps.book.personal(userAadId);
}
