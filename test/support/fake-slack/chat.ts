import { fail, type Handler, ok, str } from './protocol.js';
import type { FakeMessage, Json } from './types.js';
import { checkMessageContent, hasFallbackText } from './validate.js';
import type { Workspace } from './workspace.js';

/** Internal: chat.* methods. Messages are kept as Slack would show them after every update. */

/** The fields a call sets; absent arguments stay absent so records compare cleanly. */
function content(args: Json): Partial<FakeMessage> {
  const out: Partial<FakeMessage> = {};
  const text = str(args, 'text');
  if (text !== undefined) out.text = text;
  if (Array.isArray(args.blocks)) out.blocks = args.blocks as Json[];
  if (args.metadata !== undefined) out.metadata = args.metadata as FakeMessage['metadata'];
  return out;
}

/** The message object Slack returns: no fake bookkeeping. */
export function slackMessage(message: FakeMessage): Json {
  const { updateCount: _u, hasFallbackText: _h, channel: _c, ...rest } = message;
  return rest;
}

export function applyUpdate(ws: Workspace, message: FakeMessage, args: Json): void {
  Object.assign(message, content(args));
  if (Array.isArray(args.blocks) && args.blocks.length === 0) delete message.blocks;
  message.hasFallbackText = (message.text ?? '').trim() !== '';
  message.edited = { user: ws.identity.botUserId, ts: ws.nextTs() };
  message.updateCount += 1;
}

export function postMessage(ws: Workspace, channel: string, args: Json): FakeMessage {
  const threadTs = str(args, 'thread_ts');
  const message: FakeMessage = {
    type: 'message',
    channel,
    ts: ws.nextTs(),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...content(args),
    user: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    app_id: ws.identity.appId,
    team: ws.identity.teamId,
    updateCount: 0,
    hasFallbackText: hasFallbackText(args),
  };
  ws.messages.push(message);
  return message;
}

export function chatMethods(ws: Workspace): Record<string, Handler> {
  const target = (args: Json) => {
    const channel = ws.resolveChannel(str(args, 'channel') ?? '');
    return { channel, error: channel === '' ? 'channel_not_found' : ws.channelError(channel) };
  };

  return {
    'chat.postMessage': (args) => {
      const { channel, error } = target(args);
      if (error) return fail(error);
      const bad = checkMessageContent(args);
      if (bad) return bad;
      const message = postMessage(ws, channel, args);
      return ok({ channel, ts: message.ts, message: slackMessage(message) });
    },
    'chat.update': (args) => {
      const { channel, error } = target(args);
      if (error) return fail(error);
      const message = ws.findMessage(channel, str(args, 'ts') ?? '');
      if (!message) return fail('message_not_found');
      const bad = checkMessageContent(args);
      if (bad) return bad;
      applyUpdate(ws, message, args);
      return ok({ channel, ts: message.ts, text: message.text ?? '', message: slackMessage(message) });
    },
    'chat.delete': (args) => {
      const { channel, error } = target(args);
      if (error) return fail(error);
      const message = ws.findMessage(channel, str(args, 'ts') ?? '');
      if (!message) return fail('message_not_found');
      ws.messages.splice(ws.messages.indexOf(message), 1);
      return ok({ channel, ts: message.ts });
    },
    // Works for any message the workspace holds, thread replies too (their link carries the thread).
    'chat.getPermalink': (args) => {
      const channel = ws.resolveChannel(str(args, 'channel') ?? '');
      if (channel === '') return fail('channel_not_found');
      const ts = str(args, 'message_ts') ?? '';
      if (ts === '') return fail('invalid_arguments');
      const message = ws.findMessage(channel, ts);
      if (!message) return fail('message_not_found');
      const base = `https://${ws.identity.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
      const thread =
        message.thread_ts && message.thread_ts !== ts ? `?thread_ts=${message.thread_ts}&cid=${channel}` : '';
      return ok({ channel, permalink: `${base}${thread}` });
    },
    'chat.postEphemeral': (args) => {
      const { channel, error } = target(args);
      if (error) return fail(error);
      const user = str(args, 'user') ?? '';
      if (!ws.users.has(user)) return fail('user_not_found');
      const members = ws.channels.get(channel)?.members;
      if (members && !members.includes(user)) return fail('user_not_in_channel');
      const bad = checkMessageContent(args);
      if (bad) return bad;
      const threadTs = str(args, 'thread_ts');
      const messageTs = ws.nextTs();
      ws.ephemerals.push({
        channel,
        user,
        message_ts: messageTs,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...content(args),
        hasFallbackText: hasFallbackText(args),
        via: 'chat.postEphemeral',
      });
      return ok({ message_ts: messageTs });
    },
  };
}
