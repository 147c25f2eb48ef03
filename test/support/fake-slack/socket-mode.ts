import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Knobs } from './knobs.js';
import { bodyToArgs, fail, isObject, ok, type Reply, str } from './protocol.js';
import type {
  DeliverOptions,
  EnvelopeOptions,
  FakeSocketMode,
  FakeSocketModeOptions,
  Json,
  RecordedCall,
  RecordedSocketAck,
  SocketAck,
  SocketConnection,
  SocketDelivery,
  SocketDisconnectOptions,
  SocketEnvelope,
  SocketEnvelopeInput,
} from './types.js';
import type { Workspace } from './workspace.js';

/**
 * Internal: Slack's Socket Mode side, on the fake's own HTTP server.
 *
 * - `apps.connections.open` takes the app-level token only and returns `ws://127.0.0.1:<port>/link/?ticket=…`.
 *   Tickets are single-use: a reconnecting client must open a new one, as with Slack.
 * - On upgrade the fake sends `{"type":"hello",…}` first (the client counts as connected only then), pings every
 *   `pingIntervalMs`, answers the client's pings with pongs and records every frame the client sends.
 * - Envelopes go to the newest open connection; an ack is `{envelope_id, payload?}` on any connection.
 */

export const SOCKET_MODE_PATH = '/link/';
const OPEN_METHOD = 'apps.connections.open';
const API_PATH = /^\/api\/([A-Za-z0-9_.]+)$/;
const DEFAULT_PING_INTERVAL_MS = 10_000;
const DEFAULT_ACK_TIMEOUT_MS = 3_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
const HOST = 'fake-slack-applink-1';

export interface SocketModeDeps {
  workspace: Workspace;
  /** `http://127.0.0.1:<port>` of the server the sockets share. */
  baseUrl: string;
  botToken: string;
  appToken: string;
  knobs: Knobs;
  calls: RecordedCall[];
  options: FakeSocketModeOptions;
}

export interface SocketModeSide extends FakeSocketMode {
  /** Ends every socket and stops the timers; pending deliveries reject. */
  close(): void;
}

interface Link {
  info: SocketConnection;
  socket: WebSocket;
  pingTimer?: NodeJS.Timeout;
  closingByFake: boolean;
  closed: Promise<void>;
}

interface AckWaiter {
  resolve(ack: SocketAck): void;
  reject(error: Error): void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

function reject401(socket: Duplex, why: string): void {
  const body = JSON.stringify({ ok: false, error: why });
  socket.end(
    `HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

function parseFrame(data: RawData): unknown {
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as Buffer).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Slack lets these answer with a body (`response_action`, options); block_actions and shortcuts get a bare ack. */
const RESPONDS = new Set(['view_submission', 'block_suggestion']);

function envelopeOf(
  type: SocketEnvelope['type'],
  payload: Json,
  options: EnvelopeOptions,
  accepts: boolean,
): SocketEnvelopeInput {
  return {
    type,
    payload,
    ...(options.envelopeId !== undefined ? { envelope_id: options.envelopeId } : {}),
    accepts_response_payload: options.acceptsResponsePayload ?? accepts,
    ...(options.retryAttempt !== undefined ? { retry_attempt: options.retryAttempt } : {}),
    ...(options.retryReason !== undefined ? { retry_reason: options.retryReason } : {}),
  };
}

/**
 * Adds Socket Mode to the fake's HTTP server: a router in front of its request listener for `apps.connections.open`
 * (and for app-token calls to anything else, which Slack refuses), and an upgrade handler for `/link/`.
 */
export function attachSocketMode(server: Server, deps: SocketModeDeps): SocketModeSide {
  const { workspace, knobs, calls } = deps;
  const pingIntervalMs = deps.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const tickets = new Map<string, { used: boolean }>();
  const links: Link[] = [];
  const acks: RecordedSocketAck[] = [];
  const waiters = new Map<string, AckWaiter[]>();
  const connectWaiters = new Set<() => void>();
  let answerPings = true;
  let closed = false;

  // ---- apps.connections.open ----------------------------------------------------------------------------------

  const answerApi = (method: string, token: string | undefined): Reply => {
    const injected = knobs.takeFailure(method);
    if (injected) return injected;
    if (!token) return fail('not_authed');
    if (token === deps.botToken || /^xox[a-z]-/.test(token)) return fail('not_allowed_token_type');
    if (token !== deps.appToken) return fail('invalid_auth');
    // An app-level token opens connections and nothing else.
    if (method !== OPEN_METHOD) return fail('not_allowed_token_type');
    const ticket = randomUUID();
    tickets.set(ticket, { used: false });
    const wsUrl = deps.baseUrl.replace(/^http/, 'ws');
    return ok({ url: `${wsUrl}${SOCKET_MODE_PATH}?ticket=${ticket}&app_id=${workspace.identity.appId}` });
  };

  const handleApi = async (method: string, req: IncomingMessage, url: URL): Promise<Reply> => {
    const args = bodyToArgs(req.headers['content-type'], await readBody(req), url.searchParams);
    const token = bearer(req.headers.authorization) ?? str(args, 'token');
    const call: RecordedCall = { method, args, token, at: workspace.clock.now(), status: 0, response: {} };
    calls.push(call);
    const latency = knobs.latency(method);
    if (latency > 0) await sleep(latency);
    await knobs.released(method);
    const reply = answerApi(method, token);
    call.status = reply.status;
    call.response = reply.body;
    return reply;
  };

  /** The methods this side answers: apps.connections.open, and any call made with the app token (refused). */
  const claims = (req: IncomingMessage, method: string | undefined): method is string =>
    method !== undefined &&
    (req.method === 'POST' || req.method === 'GET') &&
    (method === OPEN_METHOD || bearer(req.headers.authorization) === deps.appToken);

  const [original] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = API_PATH.exec(url.pathname)?.[1];
    if (!claims(req, method)) {
      original?.call(server, req, res);
      return;
    }
    handleApi(method, req, url)
      .catch(
        (error: unknown): Reply => ({ status: 500, body: { ok: false, error: 'fake_crashed', detail: String(error) } }),
      )
      .then((reply) => {
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
  });

  // ---- the WebSocket side ----------------------------------------------------------------------------------------

  const openLinks = () => links.filter((l) => l.info.open);

  const onAck = (link: Link, ack: SocketAck) => {
    acks.push({ ...ack, connectionId: link.info.id, at: workspace.clock.now() });
    const queue = waiters.get(ack.envelope_id);
    const waiter = queue?.shift();
    if (queue && queue.length === 0) waiters.delete(ack.envelope_id);
    waiter?.resolve(ack.payload === undefined ? { envelope_id: ack.envelope_id } : ack);
  };

  const accept = (socket: WebSocket, ticket: string) => {
    let markClosed: () => void = () => {};
    const info: SocketConnection = {
      id: `L${links.length + 1}`,
      ticket,
      openedAt: workspace.clock.now(),
      open: true,
      clientPings: 0,
      serverPings: 0,
      serverPongs: 0,
      received: [],
    };
    const link: Link = {
      info,
      socket,
      closingByFake: false,
      closed: new Promise<void>((resolve) => {
        markClosed = resolve;
      }),
    };
    links.push(link);
    socket.on('ping', (data) => {
      info.clientPings += 1;
      if (answerPings) socket.pong(data);
    });
    socket.on('pong', () => {
      info.serverPongs += 1;
    });
    socket.on('message', (data, isBinary) => {
      const frame = isBinary ? data : parseFrame(data);
      info.received.push(frame);
      if (isObject(frame) && typeof frame.envelope_id === 'string') {
        onAck(link, {
          envelope_id: frame.envelope_id,
          ...(isObject(frame.payload) ? { payload: frame.payload } : {}),
        });
      }
    });
    socket.on('close', (code) => {
      info.open = false;
      info.closedAt = workspace.clock.now();
      info.closeCode = code;
      info.closedBy = link.closingByFake ? 'fake' : 'client';
      clearInterval(link.pingTimer);
      markClosed();
    });
    socket.on('error', () => {
      // A client that vanishes mid-frame: the close event follows and records it.
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: openLinks().length,
        debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: workspace.identity.appId },
      }),
    );
    if (pingIntervalMs > 0) {
      link.pingTimer = setInterval(() => pingLink(link), pingIntervalMs);
      link.pingTimer.unref();
    }
    for (const notify of [...connectWaiters]) notify();
  };

  const pingLink = (link: Link) => {
    if (!link.info.open) return;
    link.info.serverPings += 1;
    link.socket.ping(Buffer.from(`ping ${link.info.serverPings}`));
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_MODE_PATH && url.pathname !== SOCKET_MODE_PATH.slice(0, -1)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const ticket = url.searchParams.get('ticket') ?? '';
    const known = tickets.get(ticket);
    if (closed || !known || known.used) {
      reject401(socket, known?.used ? 'ticket_already_used' : 'invalid_ticket');
      return;
    }
    known.used = true;
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, ticket));
  });

  // ---- test-facing API ---------------------------------------------------------------------------------------------

  const snapshot = (link: Link): SocketConnection => structuredClone(link.info);

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const notify = () => {
        const value = check();
        if (value === undefined) return;
        connectWaiters.delete(notify);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        connectWaiters.delete(notify);
        reject(new Error(`fake-slack: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      connectWaiters.add(notify);
    });
  };

  const newestOpen = () => openLinks().at(-1);

  const linkFor = (options: DeliverOptions): Promise<Link> => {
    if (closed) return Promise.reject(new Error('fake-slack: closed'));
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (options.connectionId !== undefined) {
      const link = links.find((l) => l.info.id === options.connectionId && l.info.open);
      return link
        ? Promise.resolve(link)
        : Promise.reject(new Error(`fake-slack: ${options.connectionId} is not open`));
    }
    return waitFor(newestOpen, timeoutMs, 'open Socket Mode connection');
  };

  const deliver = async (input: SocketEnvelopeInput, options: DeliverOptions = {}): Promise<SocketDelivery> => {
    const envelope: SocketEnvelope = {
      ...input,
      envelope_id: input.envelope_id ?? randomUUID(),
      accepts_response_payload: input.accepts_response_payload ?? false,
    };
    const link = await linkFor(options);
    const timeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const waiter: AckWaiter = { resolve, reject };
      const queue = waiters.get(envelope.envelope_id) ?? [];
      queue.push(waiter);
      waiters.set(envelope.envelope_id, queue);
      timer = setTimeout(() => {
        const rest = (waiters.get(envelope.envelope_id) ?? []).filter((w) => w !== waiter);
        if (rest.length > 0) waiters.set(envelope.envelope_id, rest);
        else waiters.delete(envelope.envelope_id);
        reject(new Error(`fake-slack: no ack for envelope ${envelope.envelope_id} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const started = performance.now();
    link.socket.send(JSON.stringify(envelope));
    try {
      const ack = await acked;
      return { envelope, ack, ackMs: performance.now() - started, connectionId: link.info.id };
    } finally {
      clearTimeout(timer);
    }
  };

  const endLink = async (link: Link, options: SocketDisconnectOptions): Promise<void> => {
    if (!link.info.open) return;
    link.closingByFake = true;
    const how = options.how ?? 'message';
    if (how === 'drop') link.socket.terminate();
    else if (how === 'close') link.socket.close(1001, 'going away');
    else {
      link.closingByFake = false; // the client closes, as asked
      link.socket.send(
        JSON.stringify({
          type: 'disconnect',
          reason: options.reason ?? 'refresh_requested',
          debug_info: { host: HOST },
        }),
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    const late = setTimeout(() => {
      link.closingByFake = true;
      link.socket.terminate();
    }, timeoutMs);
    await link.closed;
    clearTimeout(late);
  };

  return {
    connections: () => links.map(snapshot),
    async waitForConnection(options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const { count } = options;
      const link =
        count === undefined
          ? await waitFor(newestOpen, timeoutMs, 'open Socket Mode connection')
          : await waitFor(() => links[count - 1], timeoutMs, `Socket Mode connection #${count}`);
      return snapshot(link);
    },
    deliver,
    sendInteractive: (payload, options = {}) =>
      deliver(envelopeOf('interactive', payload, options, RESPONDS.has(String(payload.type))), options),
    sendSlashCommand: (fields, options = {}) => deliver(envelopeOf('slash_commands', fields, options, true), options),
    sendEvent(event, options = {}) {
      const callback: Json =
        event.type === 'event_callback'
          ? event
          : {
              token: 'fake-verification-token',
              team_id: workspace.identity.teamId,
              api_app_id: workspace.identity.appId,
              event,
              type: 'event_callback',
              event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
              event_time: Math.floor(workspace.clock.now().getTime() / 1000),
              authorizations: [
                {
                  team_id: workspace.identity.teamId,
                  user_id: workspace.identity.botUserId,
                  is_bot: true,
                  is_enterprise_install: false,
                },
              ],
              is_ext_shared_channel: false,
            };
      return deliver(
        {
          ...envelopeOf('events_api', callback, options, false),
          retry_attempt: options.retryAttempt ?? 0,
          retry_reason: options.retryReason ?? '',
        },
        options,
      );
    },
    acks: (envelopeId) => structuredClone(acks.filter((a) => envelopeId === undefined || a.envelope_id === envelopeId)),
    async disconnect(options = {}) {
      const targets = openLinks().filter(
        (l) => options.connectionId === undefined || l.info.id === options.connectionId,
      );
      await Promise.all(targets.map((link) => endLink(link, options)));
    },
    setAnswerPings(answer) {
      answerPings = answer;
    },
    ping() {
      for (const link of openLinks()) pingLink(link);
    },
    close() {
      closed = true;
      for (const link of links) {
        clearInterval(link.pingTimer);
        if (link.info.open) {
          link.closingByFake = true;
          link.socket.terminate();
        }
      }
      for (const [id, queue] of waiters) {
        for (const waiter of queue) waiter.reject(new Error(`fake-slack: closed before envelope ${id} was acked`));
      }
      waiters.clear();
      wss.close();
    },
  };
}
