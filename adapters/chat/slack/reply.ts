import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log.js';
import type { TriageOutcome } from '../../../src/ports/inbound.js';
import type { View } from '../../../src/views/view.js';
import { ephemeralFor } from './render.js';

/** Tells one person something privately: in the channel where they clicked, else in a DM with the bot. */
export async function tellPrivately(
  client: WebClient,
  logger: Logger,
  where: { user: string; channel: string | null },
  view: View,
): Promise<void> {
  try {
    const channel = where.channel ?? (await client.conversations.open({ users: where.user })).channel?.id;
    if (!channel) return;
    await client.chat.postEphemeral({ channel, user: where.user, ...ephemeralFor(view) });
  } catch (error) {
    // The person sees nothing, so the log must say why; never with the view itself (it may hold snippets).
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not send a private answer');
  }
}

/** The private answer to a click: a confirmation, a refusal, an error with its correlation id, or evidence. */
export function outcomeView(outcome: TriageOutcome): View {
  switch (outcome.kind) {
    case 'snippets':
      return outcome.view;
    case 'done':
      return { title: outcome.text, tone: 'good', blocks: [{ type: 'text', text: outcome.text }] };
    case 'duplicate':
      return { title: outcome.text, tone: 'neutral', blocks: [{ type: 'text', text: outcome.text }] };
    case 'denied':
    case 'invalid':
      return { title: outcome.text, tone: 'warning', blocks: [{ type: 'text', text: outcome.text }] };
    case 'failed':
      return {
        title: outcome.text,
        tone: 'danger',
        blocks: [
          { type: 'text', text: outcome.text },
          { type: 'context', text: `Correlation id ${outcome.correlationId}: quote it when asking for help.` },
        ],
      };
  }
}

export function errorView(correlationId: string): View {
  return outcomeView({
    kind: 'failed',
    text: 'Something went wrong handling that; nothing was posted to the channel.',
    correlationId,
  });
}
