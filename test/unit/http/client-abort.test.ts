import { describe, expect, it, vi } from 'vitest';
import { reply, sequence, useLoopback } from './loopback.js';

const setup = useLoopback();
const STOPPING = { ok: false, error: { code: 'unavailable', message: expect.stringMatching(/dlp-bot is stopping$/) } };

describe('createHttpClient when the process stops', () => {
  it('should abort a request the vendor never answers', async () => {
    const abort = new AbortController();
    const { server, client } = await setup(() => {}, { signal: abort.signal });

    const pending = client.request({ method: 'GET', path: '/incidents', op: 'listIncidents' });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    abort.abort();

    expect(await pending).toEqual(STOPPING);
  });

  it("should stop waiting out a vendor's Retry-After and not retry", async () => {
    const abort = new AbortController();
    const { server, client } = await setup(sequence(reply(429, '', { 'retry-after': '60' }), reply(200, {})), {
      signal: abort.signal,
      // A wait that only the abort can end.
      sleep: () => new Promise(() => {}),
    });

    const pending = client.request({ method: 'GET', path: '/incidents', op: 'listIncidents' });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    abort.abort();

    expect(await pending).toEqual(STOPPING);
    expect(server.requests).toHaveLength(1);
  });

  it('should send nothing once stopped', async () => {
    const abort = new AbortController();
    const { server, client } = await setup(reply(200, {}), { signal: abort.signal });
    abort.abort();

    expect(await client.request({ method: 'GET', path: '/incidents', op: 'listIncidents' })).toEqual(STOPPING);
    expect(server.requests).toEqual([]);
  });
});
