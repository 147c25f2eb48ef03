import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type Loopback, makeClient, reply, sequence, startServer, useLoopback } from './loopback.js';

const setup = useLoopback();

describe('createHttpClient retries', () => {
  it('should retry a GET after 503 and return the later success', async () => {
    const { server, client, clock } = await setup(sequence(reply(503), reply(503), reply(200, { items: [1] })));

    const result = await client.request({ method: 'GET', path: '/incidents', op: 'listIncidents' });

    expect(result).toMatchObject({ ok: true, value: { status: 200, body: { items: [1] } } });
    expect(server.requests).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 250 ms, then half of 500 ms.
    expect(clock.waits).toEqual([125, 250]);
  });

  it('should not retry a POST after 503', async () => {
    const { server, client, clock } = await setup(sequence(reply(503), reply(200, {})));

    const result = await client.request({ method: 'POST', path: '/incidents/1/notes', json: {}, op: 'addNote' });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        status: 503,
        message: expect.stringMatching(/^POST addNote at 127\.0\.0\.1:\d+: vendor answered 503$/),
      },
    });
    expect(server.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('should retry a POST marked idempotent after 503', async () => {
    const { server, client } = await setup(sequence(reply(503), reply(200, {})));
    const result = await client.request({ method: 'POST', path: '/search', idempotent: true, op: 'search' });
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('should retry a POST after 429 because the vendor did not process it', async () => {
    const { server, client } = await setup(sequence(reply(429), reply(201, { id: 'n1' })));

    const result = await client.request({ method: 'POST', path: '/notes', json: { a: 1 }, op: 'addNote' });

    expect(result).toMatchObject({ ok: true, value: { status: 201 } });
    expect(server.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('should wait the Retry-After seconds of a 429', async () => {
    const { client, clock } = await setup(sequence(reply(429, '', { 'retry-after': '7' }), reply(200, {})));
    expect((await client.request({ method: 'GET', path: '/x', op: 'op' })).ok).toBe(true);
    expect(clock.waits).toEqual([7_000]);
  });

  it('should wait until the Retry-After HTTP-date of a 503', async () => {
    const vendorNow = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    const retryAt = 'Wed, 21 Oct 2015 07:28:09 GMT';
    const { client, clock } = await setup(sequence(reply(503, '', { 'retry-after': retryAt }), reply(200, {})));
    clock.advance(vendorNow);

    expect((await client.request({ method: 'GET', path: '/x', op: 'op' })).ok).toBe(true);
    expect(clock.waits).toEqual([9_000]);
  });

  it('should return rate_limited at once when Retry-After asks for more than 60 s', async () => {
    const { server, client, clock } = await setup(sequence(reply(429, '', { 'retry-after': '120' }), reply(200)));

    const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        status: 429,
        retryAfterMs: 120_000,
        message: expect.stringMatching(/^GET listIncidents at 127\.0\.0\.1:\d+: vendor answered 429$/),
      },
    });
    expect(server.requests).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('should return unavailable with retryAfterMs when a 503 asks for more than 60 s', async () => {
    const { server, client } = await setup(reply(503, '', { 'retry-after': '3600' }));
    const result = await client.request({ method: 'GET', path: '/x', op: 'op' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', retryAfterMs: 3_600_000 } });
    expect(server.requests).toHaveLength(1);
  });

  it('should give up with unavailable after maxRetries', async () => {
    const { server, client, clock } = await setup(reply(502), { http: { maxRetries: 2 } });

    const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        status: 502,
        message: expect.stringMatching(
          /^GET listIncidents at 127\.0\.0\.1:\d+: vendor answered 502 \(gave up after 3 attempts\)$/,
        ),
      },
    });
    expect(server.requests).toHaveLength(3);
    expect(clock.waits).toHaveLength(2);
  });

  it('should give up with rate_limited after maxRetries of 429', async () => {
    const { server, client } = await setup(reply(429, '', { 'retry-after': '1' }), { http: { maxRetries: 1 } });
    const result = await client.request({ method: 'GET', path: '/x', op: 'op' });
    expect(result).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 1_000 } });
    expect(server.requests).toHaveLength(2);
  });

  it('should return unavailable when the connection is refused, after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { client, clock, counter } = makeClient(`http://127.0.0.1:${port}`, { http: { maxRetries: 2 } });

    const result = await client.request({ method: 'POST', path: '/x', op: 'addNote' });
    await client.close();

    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(result.ok || result.error.message).toMatch(
      new RegExp(`^POST addNote at 127\\.0\\.0\\.1:${port}: vendor unreachable \\(ECONNREFUSED\\)`),
    );
    // Nothing reached the vendor, so even a POST is retried.
    expect(clock.waits).toHaveLength(2);
    expect(counter.bySource()['src-a']).toEqual({ api: 3, token: 0, rateLimited: 0, failed: 3 });
  });

  it('should pace requests to requestsPerMinute, retries included', async () => {
    const { server, client, clock } = await setup(sequence(reply(200, {}), reply(503), reply(200, {})), {
      http: { requestsPerMinute: 2 },
      random: () => 0,
    });

    expect((await client.request({ method: 'GET', path: '/a', op: 'a' })).ok).toBe(true);
    expect((await client.request({ method: 'GET', path: '/b', op: 'b' })).ok).toBe(true);

    // Backoff of 0 ms, then the third send waits for the first to leave the minute window.
    expect(clock.waits).toEqual([0, 60_000]);
    expect(server.requests).toHaveLength(3);
  });
});

/** undici checks these timeouts on a ~1 s tick, so each costs a second; they run side by side. */
describe.concurrent('createHttpClient timeouts', () => {
  async function withServer(handler: Parameters<typeof startServer>[0], run: (loopback: Loopback) => Promise<void>) {
    const loopback = await startServer(handler);
    try {
      await run(loopback);
    } finally {
      await loopback.close();
    }
  }
  const hang = () => {};

  it('should return unavailable when the vendor never sends headers', async () => {
    await withServer(hang, async (loopback) => {
      const { client } = makeClient(loopback.url, { http: { headersTimeoutMs: 100, maxRetries: 0 } });
      const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });
      await client.close();
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'unavailable',
          message: expect.stringMatching(
            /^GET listIncidents at 127\.0\.0\.1:\d+: vendor timed out \(UND_ERR_HEADERS_TIMEOUT\)$/,
          ),
        },
      });
    });
  });

  it('should retry a GET after a headers timeout', async () => {
    await withServer(sequence(hang, reply(200, { ok: 1 })), async (loopback) => {
      const { client } = makeClient(loopback.url, { http: { headersTimeoutMs: 100, maxRetries: 1 } });
      const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });
      await client.close();
      expect(result).toMatchObject({ ok: true, value: { body: { ok: 1 } } });
      expect(loopback.requests).toHaveLength(2);
    });
  });

  it('should not retry a POST after a headers timeout', async () => {
    await withServer(sequence(hang, reply(200, {})), async (loopback) => {
      const { client } = makeClient(loopback.url, { http: { headersTimeoutMs: 100 } });
      const result = await client.request({ method: 'POST', path: '/x', op: 'addNote' });
      await client.close();
      expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(loopback.requests).toHaveLength(1);
    });
  });

  it('should return unavailable when the body stalls past bodyTimeout', async () => {
    const stall = (res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    };
    await withServer(stall, async (loopback) => {
      const { client } = makeClient(loopback.url, { http: { bodyTimeoutMs: 100, maxRetries: 0 } });
      const result = await client.request({ method: 'GET', path: '/x', op: 'listIncidents' });
      await client.close();
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'unavailable',
          message: expect.stringMatching(
            /^GET listIncidents at 127\.0\.0\.1:\d+: vendor timed out \(UND_ERR_BODY_TIMEOUT\)$/,
          ),
        },
      });
    });
  });
});
