import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { reply, sequence, useLoopback, within } from './loopback.js';

const setup = useLoopback();
const MARKER = 'ALICE-SSN-123-45-6789';

/** Writes `count` chunks of `size` bytes without a content-length, so only counting can catch the size. */
const chunked = (count: number, size: number) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  for (let i = 0; i < count; i += 1) res.write('y'.repeat(size));
  res.end();
};

describe('createHttpClient responses', () => {
  it('should parse JSON, return text, and drain empty bodies', async () => {
    const { client } = await setup(sequence(reply(200, { a: [1] }), reply(200, 'plain words'), reply(200, 'ignored')));

    const json = await client.request({ method: 'GET', path: '/j', op: 'j' });
    const text = await client.request({ method: 'GET', path: '/t', expect: 'text', op: 't' });
    const empty = await client.request({ method: 'DELETE', path: '/e', expect: 'empty', op: 'e' });

    expect(json).toMatchObject({ ok: true, value: { status: 200, body: { a: [1] } } });
    expect(text).toMatchObject({ ok: true, value: { body: 'plain words' } });
    expect(empty).toMatchObject({ ok: true, value: { body: undefined } });
    expect(json.ok && json.value.headers['content-type']).toBe('application/json');
  });

  it('should return undefined for a 204 even when JSON was expected', async () => {
    const { client } = await setup((res) => res.writeHead(204).end());
    expect(await client.request({ method: 'PUT', path: '/x', op: 'op' })).toMatchObject({
      ok: true,
      value: { status: 204, body: undefined },
    });
  });

  it('should return schema_mismatch for invalid JSON without quoting it', async () => {
    const { server, client } = await setup(reply(200, `{"name": "${MARKER}"`));

    const result = await client.request({ method: 'GET', path: '/x', op: 'getIncident' });

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'schema_mismatch',
        status: 200,
        message: expect.stringMatching(/^GET getIncident at 127\.0\.0\.1:\d+: vendor answered 200 with invalid JSON$/),
        issues: ['body: not valid JSON'],
      },
    });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [400, 'rejected'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [409, 'rejected'],
    [422, 'rejected'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [418, 'unknown'],
  ] as const)('should map %i to %s with a message that never holds the body', async (status, code) => {
    const { client } = await setup(reply(status, { detail: MARKER }), { http: { maxRetries: 0 } });

    const result = await client.request({ method: 'GET', path: `/people/${MARKER}`, op: 'getPerson' });

    expect(result).toEqual({
      ok: false,
      error: {
        code,
        status,
        message: expect.stringMatching(
          new RegExp(`^GET getPerson at 127\\.0\\.0\\.1:\\d+: vendor answered ${status}$`),
        ),
      },
    });
  });

  it('should refuse a response by its content-length without waiting for the body', async () => {
    // The body never arrives, so only the declared length can explain an immediate answer (bodyTimeout is 2 s).
    const promiseBig = (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"pad": "');
    };
    const { client } = await setup(sequence(promiseBig, reply(200, { small: true })), { maxResponseBytes: 1_000 });

    const result = await within(client.request({ method: 'GET', path: '/x', op: 'listIncidents' }), 1_000);

    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unknown',
        status: 200,
        message: expect.stringMatching(/^GET listIncidents at 127\.0\.0\.1:\d+: response larger than 1000 bytes$/),
      },
    });
    expect(await client.request({ method: 'GET', path: '/y', op: 'next' })).toMatchObject({ ok: true });
  });

  it('should refuse a chunked response once it grows past maxResponseBytes', async () => {
    const { client } = await setup(sequence(chunked(50, 1_000), reply(200, 'fine')), {
      maxResponseBytes: 10_000,
      http: { connections: 1 },
    });

    const result = await client.request({ method: 'GET', path: '/x', expect: 'text', op: 'export' });
    const next = await within(client.request({ method: 'GET', path: '/y', expect: 'text', op: 'next' }), 1_500);

    expect(result).toMatchObject({ ok: false, error: { code: 'unknown', message: expect.stringContaining('larger') } });
    expect(next).toMatchObject({ ok: true, value: { body: 'fine' } });
  });

  it("should hold one request to its own lower cap, and never let a request raise the client's", async () => {
    const { client } = await setup(sequence(chunked(5, 1_000), chunked(5, 1_000), chunked(20, 1_000)), {
      maxResponseBytes: 10_000,
    });

    const capped = await client.request({
      method: 'GET',
      path: '/a',
      expect: 'text',
      maxResponseBytes: 4_000,
      op: 'a',
    });
    const uncapped = await client.request({ method: 'GET', path: '/b', expect: 'text', op: 'b' });
    const raised = await client.request({ method: 'GET', path: '/c', expect: 'text', maxResponseBytes: 1e9, op: 'c' });

    expect(capped).toMatchObject({ ok: false, error: { message: expect.stringMatching(/larger than 4000 bytes$/) } });
    expect(uncapped.ok && (uncapped.value.body as string).length).toBe(5_000);
    expect(raised).toMatchObject({ ok: false, error: { message: expect.stringMatching(/larger than 10000 bytes$/) } });
  });

  it('should accept a chunked response of exactly maxResponseBytes', async () => {
    const { client } = await setup(chunked(10, 1_000), { maxResponseBytes: 10_000 });
    const result = await client.request({ method: 'GET', path: '/x', expect: 'text', op: 'export' });
    expect(result.ok && (result.value.body as string).length).toBe(10_000);
  });
});
