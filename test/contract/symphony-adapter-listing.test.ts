import { describe, expect, it } from 'vitest';
import { VIOLATION_KINDS } from '../../adapters/dlp/symphony/schema.js';
import { Incident } from '../../src/domain/incident.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';
import { ANCHOR, servedIds, symphonyHarness } from '../support/symphony.js';

const h = symphonyHarness();
const HOUR = 3_600_000;
const APPLICATION = { message: 'Symphony message', stream: 'Symphony room', signal: 'Symphony signal' } as const;
const agentCalls = (byRoute: Record<string, number>) => byRoute['GET /agent/v3/dlp/violations/{kind}'] ?? 0;

describe('Symphony adapter: listing the three violation endpoints', () => {
  it('should list every violation of every kind once, as a new incident keyed by enforcementEventID', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock);
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    expect(listed.skipped).toBe(0);
    for (const kind of VIOLATION_KINDS) {
      const ids = servedIds(sim, kind);
      expect(ids.length, kind).toBeGreaterThan(0);
      const ofKind = listed.incidents.filter((i) => i.application === APPLICATION[kind]);
      expect(ofKind.map((i) => i.id)).toEqual(ids);
    }
    for (const incident of listed.incidents) {
      expect(Incident.parse(incident)).toEqual(incident);
      expect(incident.status).toBe('new');
    }
  });

  it.each([
    ['""', 'empty'],
    ['null', 'null'],
  ] as const)(
    'should page by the next cursor and stop when nextOffset is %s, without an extra call',
    async (_label, lastOffset) => {
      const clock = fixedClock(ANCHOR);
      const sim = await h.start({ clock, quirks: { lastOffset } });
      const { source } = h.source(sim, clock, { limit: 7 });
      const listed = await collect(source.listOpen({ mode: 'full' }));
      expect(listed.error).toBeNull();
      const expected = VIOLATION_KINDS.flatMap((kind) => servedIds(sim, kind));
      expect(listed.incidents.map((i) => i.id)).toEqual(expected);
      const pages = VIOLATION_KINDS.reduce((sum, kind) => sum + Math.ceil(servedIds(sim, kind).length / 7), 0);
      expect(agentCalls(sim.requests().byRoute)).toBe(pages);
      expect(listed.pages).toBe(pages);
    },
  );

  it('should treat a 204 as an empty window, on every endpoint, without an error', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock);
    clock.advance(60_000);
    const listed = await collect(source.listOpen({ mode: 'incremental', since: new Date(ANCHOR.getTime() + 1) }));
    expect(listed).toMatchObject({ error: null, incidents: [], skipped: 0, pages: 3 });
    expect(agentCalls(sim.requests().byRoute)).toBe(3);
    // A watermark ahead of this host's clock reads an empty window rather than failing.
    const skewed = await collect(source.listOpen({ mode: 'incremental', since: new Date(ANCHOR.getTime() + HOUR) }));
    expect(skewed).toMatchObject({ error: null, incidents: [], pages: 3 });
  });

  it('should read only what arrived since the watermark on an incremental scan', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock, arrivalsPerHour: 6 });
    const { source } = h.source(sim, clock);
    const before = VIOLATION_KINDS.flatMap((kind) => servedIds(sim, kind));
    clock.advance(HOUR);
    const listed = await collect(source.listOpen({ mode: 'incremental', since: new Date(ANCHOR.getTime() + 1) }));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toHaveLength(6);
    for (const incident of listed.incidents) {
      expect(before).not.toContain(incident.id);
      expect(incident.createdAt.getTime()).toBeGreaterThan(ANCHOR.getTime());
    }
  });

  it('should skip and count malformed violations, keeping the rest', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock, quirks: { malformedEvery: 10 } });
    const { source } = h.source(sim, clock, { limit: 9 });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    expect(listed.skipped).toBe(12);
    expect(listed.incidents).toHaveLength(108);
  });

  it('should drop violations a cursor serves twice, and stop when the cursor cannot move', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock, quirks: { inclusiveCursor: true } });
    const paged = await collect(h.source(sim, clock, { limit: 10 }).source.listOpen({ mode: 'full' }));
    expect(paged.error).toBeNull();
    expect(paged.incidents.map((i) => i.id)).toEqual(VIOLATION_KINDS.flatMap((kind) => servedIds(sim, kind)));
    const stuck = await collect(h.source(sim, clock, { limit: 1 }).source.listOpen({ mode: 'full' }));
    expect(stuck.error).toMatchObject({
      code: 'schema_mismatch',
      message: expect.stringMatching(/same nextOffset.*incomplete/),
    });
    expect(stuck.incidents).toHaveLength(1);
  });

  it('should read only the configured kinds', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock, { kinds: ['stream'] });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.incidents.map((i) => i.id)).toEqual(servedIds(sim, 'stream'));
    expect(sim.requests().byRoute['GET /agent/v3/dlp/violations/{kind}']).toBe(1);
  });

  it('should keep evidence out of incidents: no matched term, message text, room or signal name', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock);
    const text = JSON.stringify((await collect(source.listOpen({ mode: 'full' }))).incidents);
    for (const term of [
      'dlp_test',
      'NIGHTJAR',
      'SYNTH-0001',
      '0000-1111',
      'codename lark',
      'please check',
      'Deal room',
    ]) {
      expect(text).not.toContain(term);
    }
  });
});

describe('Symphony adapter: get and snippets without a get-by-id endpoint', () => {
  it('should find a violation of each kind by the createTime in its id, in one call to its own endpoint', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const listed = await collect(h.source(sim, clock).source.listOpen({ mode: 'full' }));
    // A fresh source has listed nothing: it must work from the id alone.
    const { source } = h.source(sim, clock);
    for (const kind of VIOLATION_KINDS) {
      const id = servedIds(sim, kind)[3] as string;
      const calls = agentCalls(sim.requests().byRoute);
      expect(okValue(await source.get(id))).toEqual(listed.incidents.find((i) => i.id === id));
      expect(agentCalls(sim.requests().byRoute) - calls).toBe(1);
    }
    expect(errorOf(await source.get('MESSAGE-bm90IGhlcmU=-1795428000000')).code).toBe('not_found');
    const calls = agentCalls(sim.requests().byRoute);
    expect(errorOf(await source.get('not an id')).code).toBe('not_found');
    expect(agentCalls(sim.requests().byRoute)).toBe(calls);
  });

  it('should show the matched terms and the analysed content as they are, for the core to mask', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await h.start({ clock });
    const { source } = h.source(sim, clock);
    const message = okValue(await source.snippets(servedIds(sim, 'message')[0] as string));
    expect(message.length).toBeGreaterThanOrEqual(2);
    const text = message.find((s) => s.label === 'Message text');
    expect(text?.text).toMatch(/^please check /);
    expect(text?.text).not.toContain('<');
    const term = text?.text.replace('please check ', '');
    expect(message.find((s) => s.label.includes('TEXT_MATCH'))?.text).toBe(term);
    const room = okValue(await source.snippets(servedIds(sim, 'stream')[0] as string));
    expect(room.map((s) => s.label)).toContain('Room name');
    const signal = okValue(await source.snippets(servedIds(sim, 'signal')[0] as string));
    expect(signal.map((s) => s.label)).toContain('Signal name');
  });
});
