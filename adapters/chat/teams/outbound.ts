import type { ConversationReference, ResourceResponse, TurnContext } from 'botbuilder';
import type { View } from '../../../src/views/view.js';
import type { BotAdapter } from './adapter.js';
import { cardAttachment, renderCard } from './card/index.js';
import type { Analyst } from './config.js';
import type { Conversation } from './conversations.js';

/**
 * A card message. No `text` beside the attachment: Teams (and the Agents Playground) split text plus
 * attachments into two messages, and the id we get back must be the card's, for later updates.
 */
export function cardActivity(view: View, analysts: readonly Analyst[]) {
  return {
    type: 'message' as const,
    summary: view.title.slice(0, 200),
    attachments: [cardAttachment(renderCard(view, { analysts }))],
  };
}

/**
 * Runs `work` in a conversation the bot is not currently talking in (a proactive turn). `conversationId`
 * overrides the stored one, for a channel thread (`<channel>;messageid=<root>`); `replyToId` makes the sends
 * replies to that message (chats, which have no threads).
 */
export async function inConversation<T>(
  bot: BotAdapter,
  conversation: Conversation,
  work: (context: TurnContext) => Promise<T>,
  conversationId?: string,
  replyToId?: string,
): Promise<T> {
  const reference: Partial<ConversationReference> = conversationId
    ? {
        ...conversation.reference,
        conversation: {
          ...conversation.reference.conversation,
          id: conversationId,
        } as ConversationReference['conversation'],
      }
    : conversation.reference;
  let result: { value: T } | { error: unknown } | undefined;
  await bot.adapter.continueConversationAsync(bot.appId, reference, async (context) => {
    // botbuilder makes every send in a continued turn a reply to the synthetic continuation event's id; a
    // proactive post must go to the conversation itself (POST …/activities), unless it names its own parent.
    context.onSendActivities(async (_context, activities, next) => {
      for (const activity of activities) activity.replyToId = replyToId;
      return next();
    });
    // Caught here: a throw would go to the adapter's onTurnError, and the caller would never see the 429.
    try {
      result = { value: await work(context) };
    } catch (error) {
      result = { error };
    }
  });
  if (!result) throw new Error('the proactive turn did not run');
  if ('error' in result) throw result.error;
  return result.value;
}

/** The id Teams gave a sent message; a send without one cannot be updated later, so it counts as failed. */
export function messageIdOf(response: ResourceResponse | undefined): string {
  if (!response?.id) throw Object.assign(new Error('Teams returned no message id'), { statusCode: 502 });
  return response.id;
}
