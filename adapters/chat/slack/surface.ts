import type { WebClient } from '@slack/web-api';
import type { ChatSurface } from '../../../src/ports/index.js';
import type { SlackConfig } from './config.js';
import { createPostFinder } from './find-post.js';
import { ephemeralFor, renderMessage } from './render.js';
import { callSlack } from './web.js';

/**
 * Outbound Slack: cards, their updates and thread replies, and private (ephemeral) answers. Links are never
 * unfurled (a vendor URL must not fetch previews) and updates set `parse: none` explicitly, because
 * `chat.update` would otherwise parse `@channel`-style text that `chat.postMessage` leaves alone.
 */
export function createSlackSurface(config: SlackConfig, client: WebClient): ChatSurface {
  return {
    id: 'slack',
    defaultChannel: config.defaultChannel ?? null,
    // chat.postMessage allows about one message a second per channel, with short bursts.
    sendRate: { perSecond: config.postsPerSecond, burst: 3 },
    post: (channel, view, options) =>
      callSlack('chat.postMessage', async () => {
        const message = renderMessage(view);
        const threadTs = options?.inThreadOf
          ? (options.inThreadOf.threadId ?? options.inThreadOf.messageId)
          : undefined;
        const result = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(message.metadata ? { metadata: message.metadata } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return {
          surface: 'slack',
          channel: result.channel ?? channel,
          messageId: String(result.ts),
          threadId: threadTs,
        };
      }),
    update: (ref, view) =>
      callSlack('chat.update', async () => {
        const message = renderMessage(view);
        await client.chat.update({
          channel: ref.channel,
          ts: ref.messageId,
          text: message.text,
          blocks: message.blocks,
          ...(message.metadata ? { metadata: message.metadata } : {}),
          parse: 'none',
          link_names: false,
        });
      }),
    reply: (ref, view) =>
      callSlack('chat.postMessage', async () => {
        const message = renderMessage(view);
        await client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.threadId ?? ref.messageId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      }),
    ephemeral: (user, channel, view) =>
      callSlack('chat.postEphemeral', async () => {
        await client.chat.postEphemeral({ channel, user, ...ephemeralFor(view) });
      }),
    // The DM channel id comes from conversations.open (posting to a user id works too, but is deprecated).
    direct: (user, view) =>
      callSlack('chat.postMessage', async () => {
        const opened = await client.conversations.open({ users: user });
        const channel = opened.channel?.id;
        if (!channel) throw new Error('conversations.open returned no channel');
        const message = renderMessage(view);
        const result = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(message.metadata ? { metadata: message.metadata } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return { surface: 'slack', channel: result.channel ?? channel, messageId: String(result.ts) };
      }),
    findPost: createPostFinder(client),
    permalink: (ref) =>
      callSlack('chat.getPermalink', async () => {
        const result = await client.chat.getPermalink({ channel: ref.channel, message_ts: ref.messageId });
        if (!result.permalink) throw new Error('chat.getPermalink returned no permalink');
        return result.permalink;
      }),
  };
}
