import { type ChannelAccount, type ConversationParameters, type ConversationReference, TurnContext } from 'botbuilder';
import type { BotAdapter } from './adapter.js';
import type { Conversation, ConversationBook } from './conversations.js';
import type { WireDeps } from './wire.js';

/** The audience of tokens for the Bot Framework connector (botframework-connector's ToChannelFromBotOAuthScope). */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

/** Who to open a 1:1 chat with, and the service (Teams region, tenant) to ask. */
export interface ChatTarget {
  /** The id Teams knows the person by: `29:…` from an activity, or their AAD object id (personal scope only). */
  memberId: string;
  name?: string | undefined;
  /** The key the chat is remembered under (the AAD object id, as `ChatUser.userId` carries it). */
  userId: string;
  tenantId: string | undefined;
  serviceUrl: string;
  channelId: string;
  bot: Partial<ChannelAccount> | undefined;
}

/**
 * The person's 1:1 chat with the bot: the stored one, else opened with `POST v3/conversations`. Teams opens it
 * only for someone who has the app (installed for them, or in a team they belong to); otherwise the
 * connector's 403/404 is thrown to the caller.
 */
export async function openPersonalChat(
  bot: BotAdapter,
  book: ConversationBook,
  target: ChatTarget,
): Promise<Conversation> {
  const existing = book.personal(target.userId);
  if (existing) return existing;
  const parameters = {
    isGroup: false,
    bot: target.bot,
    members: [{ id: target.memberId, ...(target.name ? { name: target.name } : {}) }],
    ...(target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : {}),
  } as ConversationParameters;
  let reference: Partial<ConversationReference> | undefined;
  await bot.adapter.createConversationAsync(
    bot.appId,
    target.channelId,
    target.serviceUrl,
    CONNECTOR_AUDIENCE,
    parameters,
    async (created) => {
      reference = TurnContext.getConversationReference(created.activity);
    },
  );
  if (!reference) throw Object.assign(new Error('Teams opened no conversation'), { statusCode: 502 });
  book.rememberPersonal(reference, target.userId);
  const chat = book.personal(target.userId);
  if (!chat) throw Object.assign(new Error('the new chat could not be stored'), { statusCode: 502 });
  return chat;
}

/**
 * The asker's 1:1 chat with the bot, opened when they have never written to it: Teams has no ephemeral
 * messages, so private answers to channel commands go there. Null if Teams refuses (the app is not available
 * to that person).
 */
export async function privateChatWith(
  deps: WireDeps,
  context: TurnContext,
  userAadId: string,
): Promise<Conversation | null> {
  const activity = context.activity;
  const tenantId =
    activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  try {
    return await openPersonalChat(deps.bot, deps.book, {
      memberId: activity.from.id,
      name: activity.from.name,
      userId: userAadId,
      tenantId,
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId,
      bot: activity.recipient,
    });
  } catch (error) {
    deps.logger.warn(
      { status: (error as { statusCode?: number })?.statusCode ?? null },
      'could not open a private chat with the asker',
    );
    return null;
  }
}
