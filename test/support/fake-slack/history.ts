import { slackMessage } from './chat.js';
import { fail, type Handler, ok, str } from './protocol.js';
import type { FakeMessage, Json } from './types.js';
import type { Workspace } from './workspace.js';

/** Internal: conversations.history and conversations.replies, with Slack's paging and its optional scopes. */

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/** A ts ("1700000000.000100", or with fewer decimals as `oldest` may be) in microseconds, compared exactly. */
function micros(ts: string): bigint | null {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match) return null;
  return BigInt(match[1] ?? '0') * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** What a message looks like in a read: metadata only when asked for with `include_all_metadata`. */
function asRead(message: FakeMessage, withMetadata: boolean): Json {
  const { metadata, ...rest } = slackMessage(message);
  return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
}

/** The cursor is the offset of the next page, opaque to the client as Slack's are. */
const encodeCursor = (offset: number) => Buffer.from(`next:${offset}`).toString('base64');
const decodeCursor = (cursor: string | undefined) =>
  Number(/^next:(\d+)$/.exec(Buffer.from(cursor ?? '', 'base64').toString())?.[1] ?? 0);

function page(messages: FakeMessage[], args: Json): Json {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(str(args, 'limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  const offset = decodeCursor(str(args, 'cursor'));
  const withMetadata = str(args, 'include_all_metadata') === 'true';
  const slice = messages.slice(offset, offset + limit);
  const more = offset + limit < messages.length;
  return {
    messages: slice.map((m) => asRead(m, withMetadata)),
    has_more: more,
    ...(more ? { response_metadata: { next_cursor: encodeCursor(offset + limit) } } : {}),
  };
}

export function historyMethods(ws: Workspace, options: { historyScopes: boolean }): Record<string, Handler> {
  /** The scope a read of `channel` needs, as Slack names it in `missing_scope`. */
  const needed = (channel: string) =>
    channel.startsWith('D')
      ? 'im:history'
      : ws.channels.get(channel)?.is_private
        ? 'groups:history'
        : 'channels:history';
  const refused = (channel: string) => {
    if (channel === '') return fail('channel_not_found');
    if (!options.historyScopes && needed(channel) !== 'im:history') {
      return fail('missing_scope', { needed: needed(channel), provided: 'chat:write,commands,im:write,users:read' });
    }
    const error = ws.channelError(channel);
    return error ? fail(error) : null;
  };
  const inWindow = (args: Json) => {
    const oldest = micros(str(args, 'oldest') ?? '0') ?? 0n;
    const latest = micros(str(args, 'latest') ?? '') ?? null;
    const inclusive = str(args, 'inclusive') === 'true';
    return (m: FakeMessage) => {
      const at = micros(m.ts) ?? 0n;
      const afterOldest = inclusive ? at >= oldest : at > oldest;
      const beforeLatest = latest === null || (inclusive ? at <= latest : at < latest);
      return afterOldest && beforeLatest;
    };
  };

  return {
    // Top-level messages only (thread replies stay in their thread), newest first.
    'conversations.history': (args) => {
      const channel = ws.resolveChannel(str(args, 'channel') ?? '');
      const refusal = refused(channel);
      if (refusal) return refusal;
      const window = inWindow(args);
      const messages = ws.messages
        .filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts) && window(m))
        .reverse();
      return ok(page(messages, args));
    },
    // The thread's parent, then its replies, oldest first.
    'conversations.replies': (args) => {
      const channel = ws.resolveChannel(str(args, 'channel') ?? '');
      const refusal = refused(channel);
      if (refusal) return refusal;
      const ts = str(args, 'ts') ?? '';
      const parent = ws.findMessage(channel, ts);
      if (!parent) return fail('thread_not_found');
      const window = inWindow(args);
      const replies = ws.messages.filter(
        (m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts && window(m),
      );
      return ok(page([parent, ...replies], args));
    },
  };
}
