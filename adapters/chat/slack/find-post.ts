import { ErrorCode, type WebAPICallError, type WebClient } from '@slack/web-api';
import type { ChatResult, ChatSurface, PostLookup, PostSearch } from '../../../src/ports/index.js';
import { toChatError } from './web.js';

/** Answers that mean this channel cannot be read back, so a card in doubt is sent again with a notice. */
const UNREADABLE: Readonly<Record<string, string>> = {
  missing_scope: 'the Slack app lacks the optional channels:history / groups:history scopes',
  not_in_channel: 'the bot is not in the channel',
  channel_not_found: 'the channel does not exist or the bot cannot see it',
  thread_not_found: 'the thread the card was sent into is gone',
};
/** Slack's clock and this host's may differ: the search starts a little before the claim. */
const CLOCK_SKEW_MS = 5 * 60_000;
const PAGE_SIZE = 200;
/** Past this many messages since the claim, looking on costs more than a card sent again with a notice. */
const MAX_PAGES = 10;

interface Message {
  ts?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

const isCardOf = (message: Message, botId: string, subject: PostLookup['subject']): boolean =>
  message.bot_id === botId &&
  message.metadata?.event_type === 'dlp_incident' &&
  message.metadata.event_payload?.source === subject.source &&
  message.metadata.event_payload?.id === subject.id;

/**
 * `ChatSurface.findPost` for Slack: reads the channel (or the card's roll-up thread) back from the claim time with
 * `include_all_metadata`, and finds this bot's own message tagged `dlp_incident` with the incident's source and id.
 */
export function createPostFinder(client: WebClient): NonNullable<ChatSurface['findPost']> {
  let botId: Promise<string> | null = null;
  const ownBotId = () => {
    botId ??= client.auth.test().then((who) => {
      if (!who.bot_id) throw new Error('auth.test named no bot_id for the bot token');
      return who.bot_id;
    });
    // A failed auth.test is asked again next time rather than remembered.
    botId.catch(() => {
      botId = null;
    });
    return botId;
  };

  return async (lookup): Promise<ChatResult<PostSearch>> => {
    const method = lookup.threadId ? 'conversations.replies' : 'conversations.history';
    try {
      const own = await ownBotId();
      const oldest = ((lookup.since.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const args = {
          channel: lookup.channel,
          oldest,
          limit: PAGE_SIZE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        };
        const result = lookup.threadId
          ? await client.conversations.replies({ ...args, ts: lookup.threadId })
          : await client.conversations.history(args);
        const card = (result.messages as Message[] | undefined)?.find((m) => isCardOf(m, own, lookup.subject));
        if (card?.ts) {
          const ref = { surface: 'slack', channel: lookup.channel, messageId: card.ts, threadId: lookup.threadId };
          return { ok: true, value: { kind: 'found', ref } };
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!result.has_more || !cursor) return { ok: true, value: { kind: 'absent' } };
      }
      const reason = `more than ${MAX_PAGES * PAGE_SIZE} messages since the card was sent`;
      return { ok: true, value: { kind: 'unreadable', reason } };
    } catch (error) {
      const coded = error as Partial<WebAPICallError> & { data?: { error?: string } };
      const reason = coded.code === ErrorCode.PlatformError ? UNREADABLE[coded.data?.error ?? ''] : undefined;
      if (reason) return { ok: true, value: { kind: 'unreadable', reason } };
      return { ok: false, error: toChatError(error, method) };
    }
  };
}
