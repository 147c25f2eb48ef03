import { afterEach, describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import { createBearerAuth } from '../../../src/http/bearer-auth.js';
import { createRequestCounter, type RequestCounter } from '../../../src/http/counter.js';
import type { BearerAuth, HttpClient } from '../../../src/http/types.js';
import {
  captureLogger,
  type Handler,
  type Loopback,
  makeClient,
  reply,
  type SeenRequest,
  sequence,
  startServer,
} from './loopback.js';

let server: Loopback | undefined;
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

/** Serves POST /token (issuing tok-1, tok-2, …) and hands everything else to `api`. */
function vendor(api: Handler): Handler {
  let issued = 0;
  let apiIndex = 0;
  return (res, req) => {
    if (req.url === '/token') {
      issued += 1;
      reply(200, { access_token: `tok-${issued}`, expires_in: 3600 })(res);
    } else {
      api(res, req, apiIndex++);
    }
  };
}

/** The wiring an adapter does: an anonymous token client counted as 'token', feeding bearer auth for the api client. */
async function setupVendor(api: Handler, options: { logger?: ReturnType<typeof captureLogger>['logger'] } = {}) {
  server = await startServer(vendor(api));
  const counter = createRequestCounter();
  const tokens = makeClient(server.url, { counter, counterKind: 'token', ...options });
  const auth = createBearerAuth({
    fetchToken: async () => {
      const res = await tokens.client.request<{ access_token: string; expires_in: number }>({
        method: 'POST',
        path: '/token',
        form: { grant_type: 'client_credentials' },
        anonymous: true,
        op: 'fetchToken',
      });
      if (!res.ok) return res;
      return ok({ accessToken: res.value.body.access_token, expiresInMs: res.value.body.expires_in * 1000 });
    },
  });
  const vendorApi = makeClient(server.url, { counter, auth, ...options });
  clients.push(tokens.client, vendorApi.client);
  return { server, client: vendorApi.client, counter, clock: vendorApi.clock };
}

const bearerOf = (req: SeenRequest) => req.headers.authorization;
const apiRequests = (s: Loopback) => s.requests.filter((r) => r.url !== '/token');
const tokenRequests = (s: Loopback) => s.requests.filter((r) => r.url === '/token');

describe('createHttpClient with bearer auth', () => {
  it('should send the bearer token and reuse it across requests', async () => {
    const { server, client } = await setupVendor(reply(200, {}));

    await client.request({ method: 'GET', path: '/a', op: 'a' });
    await client.request({ method: 'GET', path: '/b', op: 'b' });

    expect(apiRequests(server).map(bearerOf)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    expect(tokenRequests(server)).toHaveLength(1);
    expect(tokenRequests(server)[0]?.headers.authorization).toBeUndefined();
  });

  it('should refresh the token once after a 401 and succeed', async () => {
    const { server, client, clock } = await setupVendor(sequence(reply(401), reply(200, { fine: true })));

    const result = await client.request({ method: 'POST', path: '/notes', op: 'addNote' });

    expect(result).toMatchObject({ ok: true, value: { body: { fine: true } } });
    expect(apiRequests(server).map(bearerOf)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(clock.waits).toEqual([]);
  });

  it('should return auth after a second 401 without fetching a third token', async () => {
    const { server, client } = await setupVendor(reply(401));

    const result = await client.request({ method: 'GET', path: '/a', op: 'listIncidents' });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'auth',
        status: 401,
        message: expect.stringMatching(/^GET listIncidents at 127\.0\.0\.1:\d+: vendor answered 401$/),
      },
    });
    expect(apiRequests(server)).toHaveLength(2);
    expect(tokenRequests(server)).toHaveLength(2);
  });

  it("should carry the token in the auth's own headers instead of Authorization when it names them", async () => {
    server = await startServer(sequence(reply(401), reply(200, {})));
    let issued = 0;
    const auth = createBearerAuth({
      fetchToken: async () => ok({ accessToken: `session-${++issued}`, expiresInMs: 60_000 }),
      headers: (token) => ({ sessionToken: token }),
    });
    const { client } = makeClient(server.url, { auth });
    clients.push(client);

    expect(await client.request({ method: 'GET', path: '/a', op: 'op' })).toMatchObject({ ok: true });
    expect(server.requests.map((r) => [r.headers.sessiontoken, r.headers.authorization])).toEqual([
      ['session-1', undefined],
      ['session-2', undefined],
    ]);
  });

  it('should not refresh the token after a 403', async () => {
    const { server, client } = await setupVendor(reply(403));
    const result = await client.request({ method: 'GET', path: '/a', op: 'op' });
    expect(result).toMatchObject({ ok: false, error: { code: 'auth', status: 403 } });
    expect(apiRequests(server)).toHaveLength(1);
  });

  it('should return the token error without sending the request when no token can be had', async () => {
    server = await startServer(reply(200, {}));
    const failure = adapterError('auth', 'POST fetchToken: vendor answered 400', { status: 400 });
    const auth: BearerAuth = { token: async () => err(failure), invalidate: () => {} };
    const { client } = makeClient(server.url, { auth });
    clients.push(client);

    expect(await client.request({ method: 'GET', path: '/a', op: 'op' })).toEqual(err(failure));
    expect(server.requests).toHaveLength(0);
  });

  it('should count every attempt, token calls included, exactly as the server saw them', async () => {
    const { server, client, counter } = await setupVendor(
      sequence(reply(503), reply(429, '', { 'retry-after': '0' }), reply(401), reply(200, {}), reply(404)),
    );

    await client.request({ method: 'GET', path: '/incidents', op: 'listIncidents' });
    await client.request({ method: 'GET', path: '/incidents/9', op: 'getIncident' });

    expect(apiRequests(server)).toHaveLength(5);
    expect(tokenRequests(server)).toHaveLength(2);
    expect(counter.bySource()).toEqual({ 'src-a': { api: 5, token: 2, rateLimited: 1, failed: 1 } });
    expect(counter.total()).toBe(server.requests.length);
  });

  it('should log each attempt and retry without tokens, bodies or query values', async () => {
    const { logger, lines } = captureLogger();
    const { client } = await setupVendor(sequence(reply(503, { who: 'alice@example.com' }), reply(401), reply(200)), {
      logger,
    });

    await client.request({ method: 'GET', path: '/search', query: { user: 'alice@example.com' }, op: 'search' });

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const attempts = entries.filter((e) => e.msg === 'http attempt' && e.op === 'search');
    const retries = entries.filter((e) => e.msg === 'http retry');
    expect(attempts.map((e) => [e.source, e.method, e.status, e.attempt, typeof e.ms])).toEqual([
      ['src-a', 'GET', 503, 1, 'number'],
      ['src-a', 'GET', 401, 2, 'number'],
      ['src-a', 'GET', 200, 3, 'number'],
    ]);
    expect(retries).toMatchObject([
      { level: 40, op: 'search', reason: 'status 503', waitMs: 125 },
      { level: 40, op: 'search', reason: 'status 401' },
    ]);
    const all = lines.join('\n');
    expect(all).not.toMatch(/tok-\d|alice|Bearer/);
  });
});

describe('counter', () => {
  it('should keep its existing record/total/bySource behaviour', () => {
    const counter: RequestCounter = createRequestCounter();
    counter.record('a', 'api', 200);
    counter.record('a', 'api', 'network_error');
    counter.record('a', 'token', 429);
    counter.record('b', 'api', 503);
    expect(counter.total()).toBe(4);
    expect(counter.bySource()).toEqual({
      a: { api: 2, token: 1, rateLimited: 1, failed: 1 },
      b: { api: 1, token: 0, rateLimited: 0, failed: 1 },
    });
  });
});
