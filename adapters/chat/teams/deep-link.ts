import type { Result } from '../../../src/domain/result.js';
import { channelOf } from './conversations.js';

/** What a deep link needs to know about the conversation a message is in (all of it kept in the stored reference). */
export interface LinkPlace {
  conversationId: string;
  type: 'personal' | 'groupChat' | 'channel';
  tenantId?: string | undefined;
  /** The team's Microsoft 365 (AAD) group id, for a channel; Teams sends it as `channelData.team.aadGroupId`. */
  groupId?: string | undefined;
}

export interface LinkedMessage {
  messageId: string;
  /** The thread's root when the message is a reply in a channel thread. */
  threadId?: string | undefined;
}

const BASE = 'https://teams.microsoft.com/l/message';

/**
 * A link that opens a message in the Teams client, in the format of Microsoft's "Deep link to Teams chat"
 * (msteams-docs, concepts/build-and-test/deep-link-teams.md): `l/message/<channel id>/<message id>` with
 * tenantId, groupId and parentMessageId for a channel, `context={"contextType":"chat"}` for a group chat.
 * The display-only parameters of that format (teamName, channelName, createdTime) are left out: names change,
 * and Teams finds the message by the ids. Built from stored ids only, so it never calls Teams; when an id the
 * format needs is not known the answer says which, and the caller links something else.
 */
export function teamsMessageLink(place: LinkPlace, message: LinkedMessage): Result<string, string> {
  const path = (conversation: string) =>
    `${BASE}/${encodeURIComponent(conversation)}/${encodeURIComponent(message.messageId)}`;
  if (place.type === 'channel') {
    if (!place.tenantId || !place.groupId) {
      const missing = place.tenantId ? 'team group id' : 'tenant id';
      return { ok: false, error: `no ${missing} is known for Teams channel ${place.conversationId}` };
    }
    const query = new URLSearchParams({
      tenantId: place.tenantId,
      groupId: place.groupId,
      // A reply opens inside its thread; a thread's root is its own parent.
      parentMessageId: message.threadId ?? message.messageId,
    });
    return { ok: true, value: `${path(channelOf(place.conversationId))}?${query}` };
  }
  if (place.type === 'groupChat') {
    const query = new URLSearchParams({
      ...(place.tenantId ? { tenantId: place.tenantId } : {}),
      context: JSON.stringify({ contextType: 'chat' }),
    });
    return { ok: true, value: `${path(place.conversationId)}?${query}` };
  }
  // The bot's 1:1 chats have `a:` ids, which the chat deep link does not take (it wants a `19:` chat id).
  return { ok: false, error: `Teams has no link to a message in the bot's personal chat ${place.conversationId}` };
}
