import { systemClock } from '../../../src/ports/index.js';
import { chatMethods } from './chat.js';
import { directoryMethods } from './directory.js';
import { historyMethods } from './history.js';
import { createKnobs } from './knobs.js';
import { createRateLimiter } from './rate-limit.js';
import { mintResponseUrl } from './response-url.js';
import { listen } from './server.js';
import { attachSocketMode } from './socket-mode.js';
import {
  FAKE_SLACK_DEFAULTS,
  type FakeMessage,
  type FakeSlack,
  type FakeSlackOptions,
  type RecordedCall,
} from './types.js';
import { issueTriggerId, registerTriggerId, viewMethods } from './views.js';
import { createWorkspace } from './workspace.js';

export * from './types.js';

/** Inspection returns copies: a record taken before an update keeps showing what was true then. */
const snapshot = <T>(value: T): T => structuredClone(value);

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/**
 * Copies of records that change only in known ways (a call when it is answered, a message on each update), made
 * once per version and frozen so that one copy can be handed out again: a flood test reads a thousand of each
 * several times.
 */
function versionedSnapshots<T extends object>(versionOf: (record: T) => readonly unknown[]) {
  const copies = new WeakMap<T, { version: readonly unknown[]; copy: T }>();
  return (records: readonly T[]): T[] =>
    records.map((record) => {
      const version = versionOf(record);
      const known = copies.get(record);
      if (known?.version.every((part, i) => part === version[i])) return known.copy;
      const copy = deepFreeze(structuredClone(record));
      copies.set(record, { version, copy });
      return copy;
    });
}

/**
 * A fake Slack Web API on 127.0.0.1: point WebClient's `slackApiUrl` at `apiUrl`. It answers the methods this bot
 * uses with Slack's shapes and error codes, validates Block Kit, meters chat.postMessage per channel (HTTP 429 with
 * Retry-After), records every call, and sinks `response_url` posts. Its Socket Mode side (`socketMode`) serves the
 * WebSocket `apps.connections.open` hands out (app token only) and delivers envelopes to a connected client.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clock = options.clock ?? systemClock;
  const { token: defaultToken, appToken: defaultAppToken, triggerTtlMs, ...defaultIdentity } = FAKE_SLACK_DEFAULTS;
  const token = options.token ?? defaultToken;
  const appToken = options.appToken ?? defaultAppToken;
  const ws = createWorkspace({
    identity: { ...defaultIdentity, ...options.identity },
    clock,
    strictChannels: options.strictChannels ?? false,
    triggerTtlMs: options.triggerTtlMs ?? triggerTtlMs,
    users: options.users ?? [],
    channels: options.channels ?? [],
    usergroups: options.usergroups ?? [],
  });
  const limiter = createRateLimiter(options.rateLimit, clock);
  const knobs = createKnobs(options.latencyMs ?? 0, options.held);
  const calls: RecordedCall[] = [];
  const callCopies = versionedSnapshots<RecordedCall>((call) => [call.status, call.response]);
  // Every change to a message goes through `applyUpdate` (chat.ts), which counts it.
  const messageCopies = versionedSnapshots<FakeMessage>((message) => [message.updateCount]);
  const handlers = {
    ...directoryMethods(ws),
    ...chatMethods(ws),
    ...viewMethods(ws),
    ...historyMethods(ws, { historyScopes: options.historyScopes ?? true }),
  };
  const { server, url } = await listen({ ws, token, handlers, limiter, knobs, calls, onRequest: options.onRequest });
  const socketMode = attachSocketMode(server, {
    workspace: ws,
    baseUrl: url,
    botToken: token,
    appToken,
    knobs,
    calls,
    options: options.socketMode ?? {},
  });
  const { close: closeSockets, ...socketModeApi } = socketMode;

  return {
    url,
    apiUrl: `${url}/api/`,
    token,
    appToken,
    socketMode: socketModeApi,
    identity: ws.identity,
    close: () =>
      new Promise<void>((resolve) => {
        closeSockets();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    calls: (method) => callCopies(calls.filter((c) => method === undefined || c.method === method)),
    messages: (channel, { topLevelOnly = false } = {}) =>
      messageCopies(
        ws.messages.filter((m) => m.channel === channel && !(topLevelOnly && m.thread_ts && m.thread_ts !== m.ts)),
      ),
    threadReplies: (channel, threadTs) =>
      messageCopies(ws.messages.filter((m) => m.channel === channel && m.thread_ts === threadTs && m.ts !== threadTs)),
    ephemerals: (user) => snapshot(ws.ephemerals.filter((e) => user === undefined || e.user === user)),
    openedViews: () => snapshot([...ws.views.values()]),
    responses: (id) => snapshot(ws.responses.filter((r) => id === undefined || r.id === id)),
    rateLimited: (channel) => limiter.hits(channel),
    addUser: (user) => void ws.users.set(user.id, user),
    addChannel: (channel) => void ws.channels.set(channel.id, channel),
    addUsergroup: (group) => void ws.usergroups.set(group.id, group),
    dmChannelId: (userId) => ws.dmChannelId(userId),
    issueTriggerId: (user) => issueTriggerId(ws, user),
    registerTriggerId: (triggerId, user) => registerTriggerId(ws, triggerId, user),
    responseUrl: (context) => mintResponseUrl(ws, url, context),
    failNext: (method, failure, times = 1, channel) => knobs.failNext(method, failure, times, channel),
    setLatency: (ms, method) => knobs.setLatency(ms, method),
    hold: (method) => knobs.hold(method),
    releaseHeld: (method) => knobs.release(method),
    faultNext: (method, fault, times = 1, channel) => knobs.faultNext(method, fault, times, channel),
  };
}
