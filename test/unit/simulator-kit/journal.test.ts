import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { routeRequest } from '../../../adapters/dlp/simulator-kit/gateway.js';
import { captureBody, createJournaling, replayableRequest } from '../../../adapters/dlp/simulator-kit/journal.js';
import { createPinnableClock } from '../../../adapters/dlp/simulator-kit/pinnable-clock.js';
import { createRequestLog } from '../../../adapters/dlp/simulator-kit/request-log.js';
import { readBody, sendJson } from '../../../adapters/dlp/simulator-kit/respond.js';
import { createRouter } from '../../../adapters/dlp/simulator-kit/router.js';
import { type LoopbackServer, startLoopbackServer } from '../../../adapters/dlp/simulator-kit/server.js';
import type { SimulatorJournalEntry } from '../../../src/ports/index.js';

type Handler = (ctx: { req: IncomingMessage; res: ServerResponse; params: Record<string, string> }) => Promise<void>;

/** A one-resource vendor: notes with the time they were taken, a POST search that changes nothing, a bearer token. */
async function startVendor(options: { journal?: SimulatorJournalEntry[]; at: { ms: number } }) {
  const clock = createPinnableClock({ now: () => new Date(options.at.ms) });
  const notes = new Map<string, { text: string; at: number }>();
  const note: Handler = async ({ req, res, params }) => {
    const text = await readBody(req, 100);
    if (text === undefined) return sendJson(res, 413, { error: 'too large' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendJson(res, 415, {});
    const body = JSON.parse(text) as { text?: unknown };
    if (typeof body.text !== 'string') return sendJson(res, 400, { error: 'text is required' });
    notes.set(params.id ?? '', { text: body.text, at: clock.now().getTime() });
    sendJson(res, 200, { ok: true });
  };
  const search: Handler = async ({ req, res }) => sendJson(res, 200, { asked: await readBody(req) });
  const router = createRouter<Handler>([
    { method: 'POST', path: '/items/{id}/note', handler: note, mutates: true },
    { method: 'POST', path: '/items/search', handler: search },
  ]);
  const journal = options.journal
    ? { entries: () => [...(options.journal ?? [])], append: (e: SimulatorJournalEntry) => options.journal?.push(e) }
    : undefined;
  const journaling = createJournaling({
    router,
    clock,
    journal,
    dispatch: ({ route, req, res, params }) => route.handler({ req, res, params }),
  });
  const replayed = await journaling.replay();
  const server = await startLoopbackServer(async (req, res) => {
    const { url, match } = routeRequest(req, router, createRequestLog());
    if (match.kind !== 'ok') return sendJson(res, 404, {});
    if (req.headers.authorization !== 'Bearer t') return sendJson(res, 401, {});
    await journaling.run(match, req, res, url);
  });
  servers.push(server);
  const post = (path: string, body: string, contentType = 'application/json', token = 't') =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    }).then((r) => r.status);
  return { post, notes, replayed };
}

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the simulator journal', () => {
  it('should record an accepted change with its time, path, query, content type and body', async () => {
    const journal: SimulatorJournalEntry[] = [];
    const vendor = await startVendor({ journal, at: { ms: 1_000 } });
    expect(await vendor.post('/items/a/note?region=us', '{"text":"looked at it"}')).toBe(200);
    expect(journal).toEqual([
      {
        at: 1_000,
        method: 'POST',
        path: '/items/a/note?region=us',
        contentType: 'application/json',
        body: '{"text":"looked at it"}',
      },
    ]);
  });

  it('should not record refused changes, requests the gateway refused, or searches sent as POST', async () => {
    const journal: SimulatorJournalEntry[] = [];
    const vendor = await startVendor({ journal, at: { ms: 1_000 } });
    expect(await vendor.post('/items/a/note', '{"nope":1}')).toBe(400);
    expect(await vendor.post('/items/a/note', '{"text":"x"}', 'text/plain')).toBe(415);
    expect(await vendor.post('/items/a/note', '{"text":"x"}', 'application/json', 'wrong')).toBe(401);
    expect(await vendor.post('/items/search', '{"all":true}')).toBe(200);
    expect(journal).toEqual([]);
  });

  it('should hand the handler a body over the size limit as too large, and keep it out of the journal', async () => {
    const journal: SimulatorJournalEntry[] = [];
    const vendor = await startVendor({ journal, at: { ms: 1_000 } });
    expect(await vendor.post('/items/a/note', JSON.stringify({ text: 'x'.repeat(2_000_000) }))).toBe(413);
    expect(journal).toEqual([]);
  });

  it('should replay the changes at the next start at their own time, so the state is the same as before', async () => {
    const journal: SimulatorJournalEntry[] = [];
    const at = { ms: 1_000 };
    const first = await startVendor({ journal, at });
    await first.post('/items/a/note', '{"text":"first"}');
    at.ms = 2_000;
    await first.post('/items/b/note', '{"text":"second"}');
    at.ms = 9_000;
    const again = await startVendor({ journal, at: { ms: 9_000 } });
    expect(again.replayed).toEqual({ replayed: 2, refused: 0 });
    expect(Object.fromEntries(again.notes)).toEqual(Object.fromEntries(first.notes));
    expect(again.notes.get('b')).toEqual({ text: 'second', at: 2_000 });
    // A replay appends nothing: the journal holds each change once.
    expect(journal).toHaveLength(2);
  });

  it('should skip entries the simulator no longer accepts and replay the rest', async () => {
    const journal: SimulatorJournalEntry[] = [
      { at: 1, method: 'POST', path: '/items/gone/route', body: '{}' },
      { at: 2, method: 'POST', path: '/items/search', body: '{}' },
      { at: 3, method: 'POST', path: '/items/a/note', contentType: 'application/json', body: '{"bad":true}' },
      { at: 4, method: 'POST', path: '/items/a/note', contentType: 'application/json', body: '{"text":"kept"}' },
    ];
    const vendor = await startVendor({ journal, at: { ms: 10 } });
    expect(vendor.replayed).toEqual({ replayed: 1, refused: 3 });
    expect(vendor.notes.get('a')).toEqual({ text: 'kept', at: 4 });
  });
});

describe('the pinnable clock', () => {
  it('should show a pinned time to everything one request awaits, and the real time to others', async () => {
    let base = 100;
    const clock = createPinnableClock({ now: () => new Date(base) });
    const seen: number[] = [];
    const pinned = clock.pinned(5, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(clock.now().getTime());
    });
    base = 200;
    seen.push(clock.now().getTime());
    await pinned;
    expect(seen).toEqual([200, 5]);
  });

  it('should keep the pin of a run still in flight when another pinned run ends, and unpin once none is left', async () => {
    const clock = createPinnableClock({ now: () => new Date(100) });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: number[] = [];
    const long = clock.pinned(5, async () => {
      await gate;
      seen.push(clock.now().getTime());
    });
    await clock.pinned(7, async () => seen.push(clock.now().getTime()));
    expect(clock.pinned(8, () => clock.now().getTime())).toBe(8);
    expect(() =>
      clock.pinned(9, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    release();
    await long;
    expect(seen).toEqual([7, 5]);
    expect(clock.now().getTime()).toBe(100);
    expect(await clock.pinned(6, async () => clock.now().getTime())).toBe(6);
  });
});

describe('a replayable request', () => {
  it('should give its body to readBody as the original request would', async () => {
    const body = Buffer.from('{"a":"é"}', 'utf8');
    const req = replayableRequest('PUT', '/x', { 'content-type': 'application/json' }, body);
    expect(await readBody(req)).toBe('{"a":"é"}');
    expect(req.headers['content-type']).toBe('application/json');
    expect(await captureBody(replayableRequest('PUT', '/x', {}, Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
  });
});
