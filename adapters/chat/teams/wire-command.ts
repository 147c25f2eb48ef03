import type { TurnContext } from 'botbuilder';
import { newCorrelationId } from '../../../src/log.js';
import type { View } from '../../../src/views/view.js';
import { channelOf } from './conversations.js';
import { cardActivity, inConversation } from './outbound.js';
import { privateChatWith } from './private-chat.js';
import { errorView, hintView } from './reply.js';
import type { WireDeps } from './wire.js';

/** `dlp …` typed to the bot (1:1) or after an @mention in a channel; a leading `/` is tolerated. */
const COMMAND = /^\s*\/?dlp(?:\s+([\s\S]*))?$/i;
/** The first word of a message, as the command menu inserts it (`aging`, no `dlp` before it). */
const FIRST_WORD = /^\s*\/?(\S+)([\s\S]*)$/;

/**
 * The command line in a message, or null when it is not a command: `dlp aging high`, or `aging high` as Teams'
 * command menu inserts it (its titles are the bare subcommand names, from the same registry).
 */
export function commandLine(text: string, names: readonly string[]): string | null {
  const prefixed = COMMAND.exec(text);
  if (prefixed) return (prefixed[1] ?? '').trim();
  const bare = FIRST_WORD.exec(text);
  const word = bare?.[1]?.toLowerCase();
  return word && names.includes(word) ? `${word}${bare?.[2] ?? ''}`.trim() : null;
}

/**
 * A command message, through the core's gate (the role, a replayed activity, the audit row). In a 1:1 chat the
 * answer comes back there. In a channel or group chat it is private unless `--share`: Teams has no ephemeral
 * messages, so it goes to the asker's 1:1 chat with the bot.
 */
export async function onMessage(deps: WireDeps, context: TurnContext): Promise<void> {
  // removeRecipientMention already dropped `<at>Bot</at>`; other mentions stay as the user typed them.
  const text = (context.activity.text ?? '').trim();
  const line = commandLine(text, deps.handlers.commandNames());
  const send = (view: View) => context.sendActivity(cardActivity(view, deps.config.analysts));
  if (line === null) {
    // Card clicks arrive as invokes, so a message that is no command is someone talking to the bot.
    if (text) await send(hintView());
    return;
  }
  const correlationId = newCorrelationId('cmd');
  const log = deps.logger.child({ correlationId, command: 'dlp' });
  const conversation = context.activity.conversation;
  try {
    const user = await deps.directory.sender(context);
    const reply = await deps.handlers.command(line, {
      user,
      channel: channelOf(conversation.id),
      // Teams redelivers an activity it got no answer for under the same id: the core runs it once.
      requestId: context.activity.id ?? correlationId,
      correlationId,
    });
    if (reply.share || conversation.conversationType === 'personal' || !conversation.conversationType) {
      await send(reply.view);
      return;
    }
    const chat = await privateChatWith(deps, context, user.userId);
    if (chat) {
      await inConversation(deps.bot, chat, (proactive) =>
        proactive.sendActivity(cardActivity(reply.view, deps.config.analysts)),
      );
      await context.sendActivity('Answered in our private chat (add --share to answer here).');
    } else {
      await context.sendActivity(
        'That answer is private, and I could not open a chat with you: message me directly, or add --share to answer here.',
      );
    }
  } catch (error) {
    log.error({ err: error }, 'Teams command failed');
    await send(errorView(correlationId)).catch(() => {});
  }
}
