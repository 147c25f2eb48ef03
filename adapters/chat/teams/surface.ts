import type { Logger } from '../../../src/log.js';
import type { ChatResult, ChatSurface, MessageRef } from '../../../src/ports/index.js';
import type { View } from '../../../src/views/view.js';
import { type BotAdapter, teamsTimeoutMs } from './adapter.js';
import type { TeamsConfig } from './config.js';
import { type Conversation, type ConversationBook, threadConversation } from './conversations.js';
import { teamsMessageLink } from './deep-link.js';
import { connectorErrorCode, toChatError, withDeadline } from './errors.js';
import { cardActivity, inConversation, messageIdOf } from './outbound.js';
import { openPersonalChat } from './private-chat.js';
import type { SendWindows } from './send-window.js';

const rejected = (message: string): { ok: false; error: { code: 'rejected'; message: string } } => ({
  ok: false,
  error: { code: 'rejected', message },
});

/** Teams says a bot removed from a conversation (or blocked by an admin) is no longer in its roster. */
const GONE = new Set(['BotNotInConversationRoster', 'ConversationNotFound']);

/**
 * Outbound Teams: proactive breach cards into stored conversations, their updates (`updateActivity`), short
 * replies in the card's thread, and private messages in a person's 1:1 chat with the bot. Pacing and 429s
 * are the send queue's; this reports Retry-After back to it.
 */
export function createTeamsSurface(
  config: TeamsConfig,
  bot: BotAdapter,
  book: ConversationBook,
  deps: { logger: Logger; windows: SendWindows },
): ChatSurface {
  const { logger, windows } = deps;
  const card = (view: View) => cardActivity(view, config.analysts);
  // The connector's own requests have this deadline too (adapter.ts); this one also bounds the token and the turn.
  const deadlineMs = teamsTimeoutMs(config);

  /** One connector call in a stored conversation; `sends` counts it against Teams' per-conversation limits. */
  async function call<T>(
    operation: string,
    channel: string,
    run: (conversation: Conversation) => Promise<T>,
    sends = true,
  ): Promise<ChatResult<T>> {
    const conversation = book.find(channel);
    if (!conversation) {
      return {
        ok: false,
        error: {
          code: 'rejected',
          message: `${operation}: dlp-bot has no reference for Teams conversation ${channel}; add the app to that team or chat first`,
        },
      };
    }
    const wait = sends ? windows.take(conversation.id) : 0;
    if (wait > 0) {
      // Not sent at all: Teams would answer 429 (or worse, throttle the app). The queue pauses this conversation.
      return {
        ok: false,
        error: {
          code: 'rate_limited',
          message: `${operation}: Teams' per-conversation limit (up to 1,800 messages an hour) is reached in ${conversation.id}`,
          retryAfterMs: wait,
        },
      };
    }
    try {
      return { ok: true, value: await withDeadline(run(conversation), deadlineMs) };
    } catch (error) {
      // A 403 with BotNotInConversationRoster means the app was removed: stop trying that conversation.
      if (GONE.has(connectorErrorCode(error) ?? '')) book.forget(channel);
      return { ok: false, error: toChatError(error, operation) };
    }
  }

  /**
   * The person's 1:1 chat: stored, or opened now with their AAD id in the tenant of a place the bot is in.
   * Teams refuses (403/404) for someone who has not got the app, by install or through a team.
   */
  async function personalChat(user: string): Promise<ChatResult<Conversation>> {
    const known = book.personal(user);
    if (known) return { ok: true, value: known };
    const place = book.anyPlace();
    if (!place?.reference.serviceUrl) {
      return rejected(`direct message: dlp-bot is in no Teams team or chat yet, so it cannot reach ${user}`);
    }
    try {
      const opening = openPersonalChat(bot, book, {
        memberId: user,
        userId: user,
        tenantId: place.reference.conversation?.tenantId,
        serviceUrl: place.reference.serviceUrl,
        channelId: place.reference.channelId ?? 'msteams',
        bot: place.reference.bot,
      });
      return { ok: true, value: await withDeadline(opening, deadlineMs) };
    } catch (error) {
      const failed = toChatError(error, 'opening the chat');
      if (failed.code !== 'rejected' && failed.code !== 'not_found') return { ok: false, error: failed };
      const message =
        `direct message: Teams would not open a chat with ${user} (${failed.message}): they have not got the app; ` +
        'install it for them, or add it to a team they are in';
      logger.warn({ user, reason: failed.message }, message);
      return rejected(message);
    }
  }

  /** Where a reply to `ref` goes: the thread of a channel post; chats have no threads, so the chat itself. */
  const replyTarget = (conversation: Conversation, ref: MessageRef) =>
    conversation.type === 'channel' ? threadConversation(ref.channel, ref.threadId ?? ref.messageId) : undefined;

  return {
    id: 'teams',
    defaultChannel: config.defaultChannel ?? null,
    // Teams allows 7 per second, 8 per 2 s and 60 per 30 s per conversation: a burst of 4 and 1.8/s stays inside.
    sendRate: { perSecond: config.postsPerSecond, burst: 4 },
    post: (channel, view, options) =>
      call('send', channel, async (conversation) => {
        const root = options?.inThreadOf ? (options.inThreadOf.threadId ?? options.inThreadOf.messageId) : undefined;
        const target = root && conversation.type === 'channel' ? threadConversation(channel, root) : undefined;
        const sent = await inConversation(bot, conversation, (context) => context.sendActivity(card(view)), target);
        return { surface: 'teams', channel: conversation.id, messageId: messageIdOf(sent), threadId: root };
      }),
    update: (ref, view) =>
      call(
        'update',
        ref.channel,
        async (conversation) => {
          const target =
            ref.threadId && conversation.type === 'channel' ? threadConversation(ref.channel, ref.threadId) : undefined;
          await inConversation(
            bot,
            conversation,
            async (context) => void (await context.updateActivity({ ...card(view), id: ref.messageId })),
            target,
          );
        },
        false,
      ),
    reply: (ref, view) =>
      call('reply', ref.channel, async (conversation) => {
        const target = replyTarget(conversation, ref);
        await inConversation(
          bot,
          conversation,
          (context) => context.sendActivity(card(view)),
          target,
          target ? undefined : ref.messageId,
        );
      }),
    async direct(user, view) {
      const chat = await personalChat(user);
      if (!chat.ok) return chat;
      return call('direct message', chat.value.id, async (conversation) => {
        const sent = await inConversation(bot, conversation, (context) => context.sendActivity(card(view)));
        return { surface: 'teams', channel: conversation.id, messageId: messageIdOf(sent) };
      });
    },
    async permalink(ref) {
      const conversation = book.find(ref.channel);
      if (!conversation) return rejected(`link: dlp-bot has no reference for Teams conversation ${ref.channel}`);
      const link = teamsMessageLink(
        {
          conversationId: conversation.id,
          type: conversation.type,
          tenantId: conversation.reference.conversation?.tenantId,
          groupId: conversation.groupId,
        },
        ref,
      );
      return link.ok ? link : rejected(`link: ${link.error}`);
    },
    async ephemeral(user, _channel, view) {
      // Teams has no ephemeral messages in channels: private answers go to the person's 1:1 chat with the bot.
      const chat = book.personal(user);
      if (!chat) {
        return {
          ok: false,
          error: { code: 'rejected', message: 'private message: this person has no chat with the bot yet' },
        };
      }
      return call('private message', chat.id, async (conversation) => {
        await inConversation(bot, conversation, (context) => context.sendActivity(card(view)));
      });
    },
  };
}
