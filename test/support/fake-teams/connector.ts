import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Bot Framework connector on loopback: the `/v3/conversations/...` and `/v3/teams/...` routes
 * botframework-connector 4.23 calls (see shared/reference/chat-platforms.md §8.2), with a record of every
 * call, the messages as Teams would now show them (updates applied), a member roster, and injectable
 * failures (429 with Retry-After, 403 BotNotInConversationRoster, …), before or after the work, or no answer. Given
 * `auth`, it refuses with 401, as the real one does, every call whose bearer token that issuer did not give the bot.
 */

export interface FakeMember {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName?: string;
}

export interface FakeChannel {
  id: string;
  name?: string;
}

export interface ConnectorCall {
  method: string;
  path: string;
  /** URL-decoded conversation id, thread suffix (`;messageid=…`) included. */
  conversationId: string | null;
  activityId: string | null;
  body: Record<string, unknown> | null;
  status: number;
  /** The call carried a token `auth` accepted (always false without `auth`). */
  authorized: boolean;
  /** When it arrived, on the connector's `now` (the bot's virtual send time in the serve tests). */
  at: number;
}

/** A message as it now stands in a conversation (a PUT replaces it). */
export interface FakeMessage {
  id: string;
  conversationId: string;
  replyToId: string | null;
  activity: Record<string, unknown>;
  updates: number;
}

export interface FakeFailure {
  /** The HTTP status answered instead, or `hang`: no answer at all (until the connector closes). */
  status: number | 'hang';
  headers?: Record<string, string>;
  code?: string;
  /** Do the work first (a POST creates its message), then fail: the answer to a send that happened is lost. */
  afterWork?: boolean;
}

export interface FakeConnector {
  /** The `serviceUrl` activities must carry (ends with `/`). */
  serviceUrl: string;
  calls: ConnectorCall[];
  messages(): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  /** The next `count` calls whose method and path match get this failure instead. */
  failNext(match: { method: string; path?: RegExp }, failure: FakeFailure, count?: number): void;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?$/;
const TEAM_CHANNELS = /^\/v3\/teams\/([^/]+)\/conversations$/;

export async function startFakeConnector(options: {
  members: FakeMember[];
  teams?: Record<string, FakeChannel[]>;
  /** Checks each call's `Authorization` header (the test token issuer's `verify`); unset, nothing is checked. */
  auth?: { verify(authorization: string | undefined): boolean };
  /** The time each call is recorded at; the wall clock unless given. */
  now?: () => number;
}): Promise<FakeConnector> {
  const now = options.now ?? Date.now;
  const calls: ConnectorCall[] = [];
  const messages = new Map<string, FakeMessage>();
  const failures: { match: { method: string; path?: RegExp }; failure: FakeFailure; left: number }[] = [];
  let nextId = 1;

  const injected = (method: string, path: string): FakeFailure | null => {
    const hit = failures.find(
      (f) => f.left > 0 && f.match.method === method && (!f.match.path || f.match.path.test(path)),
    );
    if (!hit) return null;
    hit.left -= 1;
    return hit.failure;
  };

  const member = (id: string) => {
    const wanted = id.toLowerCase();
    return options.members.find((p) =>
      [p.id, p.aadObjectId, p.email, p.userPrincipalName ?? p.email].some((v) => v.toLowerCase() === wanted),
    );
  };

  function route(method: string, path: string, body: Record<string, unknown> | null, call: ConnectorCall) {
    const team = TEAM_CHANNELS.exec(path);
    if (team && method === 'GET') {
      const channels = options.teams?.[decodeURIComponent(team[1] ?? '')];
      return channels ? { status: 200, body: { conversations: channels } } : notFound('TeamNotFound');
    }
    const m = ROUTE.exec(path);
    if (!m) return notFound('NotFound');
    const [, rawConversation, kind, rawId] = m;
    call.conversationId = rawConversation ? decodeURIComponent(rawConversation) : null;
    call.activityId = rawId ? decodeURIComponent(rawId) : null;
    if (!rawConversation && method === 'POST') {
      // Teams opens a 1:1 chat only with someone who has the app (here: a member of the roster), by id or AAD id.
      const wanted = (body?.members as { id?: string }[] | undefined)?.[0]?.id ?? '';
      const found = member(wanted);
      return found
        ? { status: 201, body: { id: `a:personal-${found.aadObjectId}` } }
        : { status: 403, body: { error: { code: 'Forbidden', message: 'the app is not installed for this user' } } };
    }
    if (kind === 'members' && method === 'GET' && call.activityId) {
      const found = member(call.activityId);
      return found
        ? { status: 200, body: { ...found, userPrincipalName: found.userPrincipalName ?? found.email } }
        : notFound('MemberNotFoundInConversation');
    }
    if (kind === 'activities' && body) {
      const conversationId = call.conversationId ?? '';
      if (method === 'POST') {
        if (body.type === 'typing') return { status: 200, body: {} };
        const id = `msg-${nextId++}`;
        messages.set(id, { id, conversationId, replyToId: call.activityId, activity: body, updates: 0 });
        return { status: 201, body: { id } };
      }
      if (method === 'PUT' && call.activityId) {
        const existing = messages.get(call.activityId);
        if (!existing) return notFound('ActivityNotFound');
        existing.activity = body;
        existing.updates += 1;
        return { status: 200, body: { id: existing.id } };
      }
    }
    return notFound('NotFound');
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      const authorized = options.auth?.verify(req.headers.authorization) ?? false;
      const call: ConnectorCall = {
        method,
        path,
        conversationId: null,
        activityId: null,
        body,
        status: 0,
        authorized,
        at: now(),
      };
      calls.push(call);
      const failure = injected(method, path);
      const refused = options.auth && !authorized;
      const done = !refused && (!failure || failure.afterWork) ? route(method, path, body, call) : null;
      if (!refused && failure?.status === 'hang') return;
      const reply = refused
        ? { status: 401, body: { error: { code: 'Unauthorized', message: 'missing or invalid bearer token' } } }
        : failure && failure.status !== 'hang'
          ? {
              status: failure.status,
              body: { error: { code: failure.code ?? 'Injected', message: 'injected failure' } },
              headers: failure.headers,
            }
          : (done as NonNullable<typeof done>);
      call.status = reply.status;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...('headers' in reply ? reply.headers : {}) });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    messages: () => [...messages.values()],
    message: (id) => messages.get(id),
    failNext(match, failure, count = 1) {
      failures.push({ match, failure, left: count });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const notFound = (code: string) => ({ status: 404, body: { error: { code, message: 'not found' } } });
