import type { ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { describe, expect, it, vi } from 'vitest';
import { makeClient, reply, sequence, startServer, useLoopback, within } from './loopback.js';

const setup = useLoopback();
const MARKER = 'ALICE-SSN-123-45-6789';
const big = (bytes: number) => JSON.stringify({ pad: MARKER.padEnd(bytes, 'x') });

/** Writes `count` chunks of `size` bytes without a content-length, so only counting can catch the size. */
const chunked = (count: number, size: number) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  for (let i = 0; i < count; i += 1) res.write('y'.repeat(size));
  res.end();
};

// An unconsumed body holds its connection until bodyTimeout, so with one connection the next request would hang.
describe('createHttpClient request building', () => {
  it('should send the base path, repeated array keys and encoded values, dropping undefined', async () => {
    const { server, client } = await setup(reply(200, {}));
    const { client: based } = makeClient(`${server.url}/v4/`);

    await based.request({
      method: 'GET',
      path: '/incidents',
      op: 'listIncidents',
      query: { status: ['open', 'in progress'], q: 'a&b=c/ü', limit: 50, active: true, cursor: undefined },
    });
    await based.close();
    await client.request({ method: 'GET', path: 'plain', op: 'plain' });

    expect(server.requests.map((r) => r.url)).toEqual([
      '/v4/incidents?status=open&status=in%20progress&q=a%26b%3Dc%2F%C3%BC&limit=50&active=true',
      '/plain',
    ]);
  });

  it('should send json and form bodies with their content types', async () => {
    const { server, client } = await setup(reply(200, {}));

    await client.request({ method: 'PATCH', path: '/i/1', json: { state: 'closed' }, op: 'updateIncident' });
    await client.request({ method: 'POST', path: '/token', form: { scope: 'a b', id: 'x' }, op: 'fetchToken' });

    expect(server.requests.map((r) => [r.method, r.headers['content-type'], r.body])).toEqual([
      ['PATCH', 'application/json', '{"state":"closed"}'],
      ['POST', 'application/x-www-form-urlencoded', 'scope=a+b&id=x'],
    ]);
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('should pass caller headers and send no authorization without auth', async () => {
    const { server, client } = await setup(reply(200, {}));
    await client.request({ method: 'GET', path: '/x', headers: { 'X-Api-Version': '2' }, op: 'op' });
    expect(server.requests[0]?.headers['x-api-version']).toBe('2');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('createHttpClient connection hygiene', () => {
  it('should release the only connection after every error path so the next request is not stuck', async () => {
    const { client } = await setup(
      sequence(
        reply(503, big(1_000_000)),
        reply(404, big(200_000)),
        reply(200, `not json ${big(300_000)}`),
        chunked(40, 50_000),
        reply(200, { last: true }),
      ),
      { http: { connections: 1, bodyTimeoutMs: 10_000 }, maxResponseBytes: 1_000_000 },
    );

    const outcomes = [];
    outcomes.push(await client.request({ method: 'POST', path: '/a', op: 'a' }));
    outcomes.push(await within(client.request({ method: 'GET', path: '/b', op: 'b' }), 1_500));
    outcomes.push(await within(client.request({ method: 'GET', path: '/c', op: 'c' }), 1_500));
    outcomes.push(await within(client.request({ method: 'GET', path: '/d', expect: 'text', op: 'd' }), 1_500));
    const last = await within(client.request({ method: 'GET', path: '/e', op: 'e' }), 1_500);

    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual([
      'unavailable',
      'not_found',
      'schema_mismatch',
      'unknown',
    ]);
    expect(last).toMatchObject({ ok: true, value: { body: { last: true } } });
    await within(client.close(), 1_500);
  });

  it('should leave no request running on an injected pool after error responses', async () => {
    const server = await startServer(
      sequence(reply(500, big(500_000)), reply(403, big(10_000)), reply(429, big(10_000))),
    );
    const pool = new Pool(server.url, { connections: 1 });
    const { client } = makeClient(server.url, { dispatcher: pool, http: { maxRetries: 0 } });

    for (const path of ['/a', '/b', '/c']) {
      await client.request({ method: 'POST', path, op: 'op' });
      // A dumped oversize body closes its socket a moment later; an unread one would stay running until bodyTimeout.
      await vi.waitFor(() => expect(pool.stats).toMatchObject({ running: 0, pending: 0 }), { timeout: 500 });
    }
    await client.close();
    expect(pool.closed).toBe(false);
    await within(pool.close(), 1_500);
    await server.close();
  });

  it('should make close idempotent and refuse requests afterwards without sending them', async () => {
    const { server, client, counter } = await setup(reply(200, {}));

    await Promise.all([client.close(), client.close()]);
    await client.close();
    const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });

    expect(result).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'GET listIncidents: HTTP client is closed' },
    });
    expect(server.requests).toHaveLength(0);
    expect(counter.total()).toBe(0);
  });
});
