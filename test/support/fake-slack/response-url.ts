import { applyUpdate, postMessage } from './chat.js';
import { isObject, type Reply, str } from './protocol.js';
import type { Json, ResponseUrlContext } from './types.js';
import { checkMessageContent, hasFallbackText } from './validate.js';
import type { Workspace } from './workspace.js';

/** Internal: the `/response/<id>` sink. Records every post; with a minted context it also acts like Slack does. */

export function mintResponseUrl(ws: Workspace, baseUrl: string, context: ResponseUrlContext = {}): string {
  const id = context.id ?? ws.nextId('R');
  ws.responseContexts.set(id, context);
  return `${baseUrl}/response/${id}`;
}

function parse(body: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const failure = (status: number, error: string): Reply => ({ status, body: { ok: false, error } });

export function handleResponsePost(ws: Workspace, id: string, contentType: string | undefined, raw: string): Reply {
  const body = parse(raw);
  ws.responses.push({ id, body: body ?? raw, contentType, at: ws.clock.now() });
  if (!body) return failure(400, 'invalid_payload');
  const context = ws.responseContexts.get(id) ?? {};
  const original =
    context.channel && context.messageTs ? ws.findMessage(context.channel, context.messageTs) : undefined;
  if (body.delete_original === true) {
    if (original) ws.messages.splice(ws.messages.indexOf(original), 1);
    return { status: 200, body: { ok: true } };
  }
  const bad = checkMessageContent(body);
  if (bad) return { ...bad, status: 400 };
  if (body.replace_original === true && original) {
    applyUpdate(ws, original, body);
  } else if (body.response_type === 'in_channel' && context.channel) {
    postMessage(ws, context.channel, body);
  } else if (context.channel && context.user) {
    const threadTs = str(body, 'thread_ts');
    ws.ephemerals.push({
      channel: context.channel,
      user: context.user,
      message_ts: ws.nextTs(),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(str(body, 'text') !== undefined ? { text: str(body, 'text') } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks as Json[] } : {}),
      hasFallbackText: hasFallbackText(body),
      via: 'response_url',
    });
  }
  return { status: 200, body: { ok: true } };
}
