import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knobs } from './knobs.js';
import { bodyToArgs, fail, type Handler, type Reply, str } from './protocol.js';
import type { RateLimiter } from './rate-limit.js';
import { handleResponsePost } from './response-url.js';
import type { Json, RecordedCall } from './types.js';
import type { Workspace } from './workspace.js';

/** Internal: the loopback HTTP server: routing, auth, knobs, rate limits and the call record. */

export interface ServerDeps {
  ws: Workspace;
  token: string;
  handlers: Record<string, Handler>;
  limiter: RateLimiter;
  knobs: Knobs;
  calls: RecordedCall[];
  onRequest?: ((method: string, args: Json) => void) | undefined;
}

const API_PATH = /^\/api\/([A-Za-z0-9_.]+)$/;
const RESPONSE_PATH = /^\/response\/([^/]+)$/;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function answer(deps: ServerDeps, method: string, args: Json, token: string | undefined): Reply {
  const injected = deps.knobs.takeFailure(method, deps.ws.resolveChannel(str(args, 'channel') ?? ''));
  if (injected) return injected;
  if (!token) return fail('not_authed');
  if (token !== deps.token) return fail('invalid_auth');
  const handler = deps.handlers[method];
  if (!handler) return fail('unknown_method');
  if (deps.limiter.applies(method)) {
    const taken = deps.limiter.take(method, deps.ws.resolveChannel(str(args, 'channel') ?? ''));
    if (!taken.ok) return { status: 429, headers: { 'retry-after': taken.retryAfter }, body: fail('ratelimited').body };
  }
  return handler(args);
}

async function handleApi(deps: ServerDeps, method: string, req: IncomingMessage, url: URL): Promise<Reply> {
  const args = bodyToArgs(req.headers['content-type'], await readBody(req), url.searchParams);
  const token = bearer(req.headers.authorization) ?? str(args, 'token');
  const call: RecordedCall = { method, args, token, at: deps.ws.clock.now(), status: 0, response: {} };
  deps.calls.push(call);
  deps.onRequest?.(method, args);
  const latency = deps.knobs.latency(method);
  if (latency > 0) await sleep(latency);
  await deps.knobs.released(method);
  const fault = deps.knobs.takeFault(method, deps.ws.resolveChannel(str(args, 'channel') ?? ''));
  if (fault === 'hang') return { status: 0, body: {}, transport: 'hang' };
  const reply = answer(deps, method, args, token);
  call.response = reply.body;
  switch (fault) {
    case 'lost_after_work':
      return { ...reply, transport: 'drop' };
    case 'hang_after_work':
      return { ...reply, transport: 'hang' };
    case '500_after_work':
      call.status = 500;
      return { status: 500, body: { ok: false, error: 'fake_internal_error' } };
    default:
      call.status = reply.status;
      return reply;
  }
}

async function handleResponseUrl(deps: ServerDeps, id: string, req: IncomingMessage): Promise<Reply> {
  const raw = await readBody(req);
  const latency = deps.knobs.latency('response_url');
  if (latency > 0) await sleep(latency);
  const injected = deps.knobs.takeFailure('response_url');
  if (injected) {
    deps.ws.responses.push({ id, body: raw, contentType: req.headers['content-type'], at: deps.ws.clock.now() });
    return injected;
  }
  return handleResponsePost(deps.ws, id, req.headers['content-type'], raw);
}

async function route(deps: ServerDeps, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const api = API_PATH.exec(url.pathname);
  if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) return handleApi(deps, api[1], req, url);
  const response = RESPONSE_PATH.exec(url.pathname);
  if (response?.[1] && req.method === 'POST') return handleResponseUrl(deps, decodeURIComponent(response[1]), req);
  req.resume();
  return { status: 404, body: { ok: false, error: 'not_found' } };
}

export async function listen(deps: ServerDeps): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    route(deps, req)
      .catch(
        (error: unknown): Reply => ({ status: 500, body: { ok: false, error: 'fake_crashed', detail: String(error) } }),
      )
      .then((reply) => {
        // Unanswered: `close()` ends a hanging connection with the others.
        if (reply.transport === 'hang') return;
        if (reply.transport === 'drop') return void res.socket?.destroy();
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}
