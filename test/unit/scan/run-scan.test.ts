import { afterEach, describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import type { Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import { runScan, type ScanDeps, type ScanOptions, totalsOf } from '../../../src/scan/run-scan.js';
import { stalledListing } from '../../../src/scan/stalled-listing.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createFakeSource, type FakeSource, fakeIncident } from '../../support/fake-source.js';

// Fixed instants only: a high incident created at T0 is due soon at +3 h, breached at +4 h, escalated at +8 h.
const T0 = new Date('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(T0.getTime() + ms);
const BREACHED_AT = at(5 * HOUR);

const policy = createSlaPolicy(SlaConfig.parse({}), []);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup(sources: FakeSource[], options: Partial<ScanOptions> = {}) {
  const store = openStore(':memory:');
  stores.push(store);
  const deps: ScanDeps = {
    store,
    sources,
    policy,
    logger: silentLogger,
    options: { fullResyncEvery: 100, overlapMinutes: 10, ...options },
  };
  return { store, deps, scan: (now: Date) => runScan(deps, now) };
}

/** `count` open high incidents of `source`, one minute apart from T0. */
const incidents = (source: string, count: number, prefix = 'INC'): Incident[] =>
  Array.from({ length: count }, (_, i) => fakeIncident(source, `${prefix}-${i + 1}`, { createdAt: at(i * MINUTE) }));

const storedIds = (store: Store, source: string) =>
  [...store.incidents.iterateOpen({ source })].map((i) => i.id).sort();

const outbox = (store: Store) =>
  store.db.prepare('SELECT source, incident_id AS id, kind FROM outbox ORDER BY id').all() as {
    source: string;
    id: string;
    kind: string;
  }[];

describe('runScan: sources in parallel, each isolated', () => {
  it('should scan the sources concurrently rather than one after the other', async () => {
    const events: string[] = [];
    const a = createFakeSource({ id: 'a', incidents: incidents('a', 4), events });
    const b = createFakeSource({ id: 'b', incidents: incidents('b', 4), events });
    const { scan } = setup([a, b]);

    await scan(BREACHED_AT);

    expect(events.indexOf('b:list')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('b:list')).toBeLessThan(events.indexOf('a:end'));
  });

  it.each([
    [
      'returns an error result',
      (s: FakeSource) => s.failListing(2, adapterError('unavailable', 'HTTP 503 from vendor')),
      'unavailable',
      'HTTP 503 from vendor',
    ],
    [
      'cannot progress (a full page with nothing new)',
      (s: FakeSource) => s.failListing(2, stalledListing('listIncidents', 'the server repeats page 3', 4)),
      'schema_mismatch',
      'listIncidents: the server repeats page 3, so paging cannot progress; the listing is incomplete (4 records read are kept)',
    ],
    ['throws', (s: FakeSource) => s.throwListing(2, new Error('adapter bug: boom')), 'unknown', 'adapter bug: boom'],
  ] as const)(
    'should report a source whose listing %s midway as failed while the other source completes',
    async (_how, breakIt, code, message) => {
      const failing = createFakeSource({ id: 'down', pageSize: 2, incidents: incidents('down', 6) });
      const healthy = createFakeSource({ id: 'up', pageSize: 2, incidents: incidents('up', 5) });
      breakIt(failing);
      const { store, scan } = setup([failing, healthy]);

      const summary = await scan(BREACHED_AT);

      const down = summary.sources.find((s) => s.source === 'down');
      const up = summary.sources.find((s) => s.source === 'up');
      expect(down).toMatchObject({ ok: false, error: { code, message }, fetched: 4 });
      expect(up).toMatchObject({ ok: true, error: null, fetched: 5, breached: 5 });
      expect(summary.totals).toMatchObject({ sources: 2, failed: 1 });
      // The two pages stored before the failure stay, with their announcements; the rest was never seen.
      expect(storedIds(store, 'down')).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4']);
      expect(storedIds(store, 'up')).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-5']);
      expect(outbox(store).filter((r) => r.source === 'down')).toHaveLength(4);
      expect(store.scanState.get('down')).toMatchObject({
        watermark: null,
        lastFullPassAt: null,
        lastOutcome: 'failed',
        lastError: `${code}: ${message}`,
      });
      expect(store.scanState.get('up')).toMatchObject({ watermark: at(4 * MINUTE), lastOutcome: 'ok' });
    },
  );

  it('should keep the watermark of a source that fails after storing newer pages, and recover on the next scan', async () => {
    const source = createFakeSource({ id: 'pan', pageSize: 2, incidents: incidents('pan', 2) });
    const { store, scan } = setup([source]);
    await scan(at(HOUR));
    expect(store.scanState.get('pan')?.watermark).toEqual(at(MINUTE));

    source.put(...incidents('pan', 6).slice(2));
    source.failListing(2, adapterError('rate_limited', 'slow down', { retryAfterMs: 30_000 }));
    const failed = await scan(at(2 * HOUR));
    expect(failed.sources[0]).toMatchObject({ ok: false, mode: 'incremental', error: { code: 'rate_limited' } });
    // INC-3 and INC-4 (created at +2 and +3 min) were stored, but the watermark must not skip INC-5 and INC-6.
    expect(storedIds(store, 'pan')).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4']);
    expect(store.scanState.get('pan')).toMatchObject({ watermark: at(MINUTE), lastOutcome: 'failed' });

    source.heal();
    const recovered = await scan(at(3 * HOUR));
    expect(recovered.sources[0]).toMatchObject({ ok: true, mode: 'incremental', error: null });
    expect(source.windows()[2]).toEqual({ mode: 'incremental', since: at(MINUTE - 10 * MINUTE) });
    expect(storedIds(store, 'pan')).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-5', 'INC-6']);
    expect(store.scanState.get('pan')).toMatchObject({ watermark: at(5 * MINUTE), lastOutcome: 'ok', lastError: null });
  });

  it('should write one scan.source audit row per source with its outcome and keep the chain valid', async () => {
    const failing = createFakeSource({ id: 'down', incidents: incidents('down', 3) });
    failing.failListing(0, adapterError('auth', 'token rejected'));
    const healthy = createFakeSource({ id: 'up', incidents: incidents('up', 3) });
    const { store, scan } = setup([failing, healthy]);

    const summary = await scan(BREACHED_AT);

    const rows = [...store.audit.iterate()];
    expect(rows).toHaveLength(2);
    const bySource = Object.fromEntries(rows.map((r) => [r.source, r]));
    expect(bySource.down).toMatchObject({
      action: 'scan.source',
      actor: 'system',
      outcome: 'failed',
      correlationId: summary.scanId,
      at: BREACHED_AT,
      detail: { error: 'auth', fetched: 0 },
    });
    expect(bySource.up).toMatchObject({
      action: 'scan.source',
      outcome: 'ok',
      correlationId: summary.scanId,
      detail: { error: null, fetched: 3, intents: 3, breached: 3, mode: 'full' },
    });
    expect(store.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('runScan: one transaction per page', () => {
  it('should roll back a whole page when its outbox write fails, leaving earlier pages intact', async () => {
    const source = createFakeSource({ id: 'pan', pageSize: 2, incidents: incidents('pan', 6) });
    const { store, scan } = setup([source]);
    const enqueue = store.outbox.enqueue;
    let enqueues = 0;
    store.outbox.enqueue = (intent) => {
      enqueues += 1;
      if (enqueues === 3) throw new Error('disk I/O error (simulated crash)');
      return enqueue(intent);
    };

    const summary = await scan(BREACHED_AT);

    expect(summary.sources[0]).toMatchObject({
      ok: false,
      error: { code: 'unknown', message: expect.stringContaining('simulated crash') },
    });
    // Page 1 (INC-1, INC-2) committed with its intents; page 2 died on INC-3's intent, so INC-3 is not stored either.
    expect(storedIds(store, 'pan')).toEqual(['INC-1', 'INC-2']);
    expect(outbox(store).map((r) => r.id)).toEqual(['INC-1', 'INC-2']);
    expect(store.incidents.get({ source: 'pan', id: 'INC-3' })).toBeNull();
    expect(store.scanState.get('pan')?.watermark).toBeNull();

    store.outbox.enqueue = enqueue;
    await scan(BREACHED_AT);
    const announced = new Set(outbox(store).map((r) => r.id));
    const breached = [...store.incidents.iterateOpen({ source: 'pan' })].filter((i) => i.slaState === 'breached');
    expect(breached).toHaveLength(6);
    // Never a breach stored but unannounced.
    for (const incident of breached) expect(announced.has(incident.id)).toBe(true);
    expect(outbox(store)).toHaveLength(6);
  });
});

describe('runScan: counting', () => {
  it('should store records repeated across pages once, and sum skipped records and totals over sources', async () => {
    const a = createFakeSource({ id: 'a', pageSize: 3, overlap: 1, skippedPerPage: 1, incidents: incidents('a', 5) });
    const b = createFakeSource({ id: 'b', pageSize: 2, skippedPerPage: 2, incidents: incidents('b', 3) });
    b.put(fakeIncident('b', 'FRESH', { createdAt: at(5 * HOUR - 30 * MINUTE) }));
    const { store, scan } = setup([a, b]);

    const summary = await scan(BREACHED_AT);

    // a: pages [1,2,3] [3,4,5] → 6 records received, 5 incidents; b: pages [1,2] [3,FRESH] → 4 records.
    expect(a.listed).toHaveLength(6);
    const sa = summary.sources.find((s) => s.source === 'a');
    const sb = summary.sources.find((s) => s.source === 'b');
    expect(sa).toMatchObject({ ok: true, fetched: 6, skipped: 2, intents: 5, incidents: 5, breached: 5, dueSoon: 0 });
    expect(sb).toMatchObject({ ok: true, fetched: 4, skipped: 4, intents: 3, incidents: 4, breached: 3, dueSoon: 0 });
    expect(store.incidents.countBy('a').total).toBe(5);
    expect(outbox(store).filter((r) => r.source === 'a')).toHaveLength(5);
    expect(summary.totals).toEqual({
      sources: 2,
      failed: 0,
      degraded: 0,
      missing: 0,
      fetched: 10,
      skipped: 6,
      intents: 8,
      incidents: 9,
      dueSoon: 0,
      breached: 8,
      escalated: 0,
      writtenBack: 0,
    });
    expect(totalsOf(summary.sources)).toEqual(summary.totals);
  });

  it('should count due soon, breached and escalated incidents as stored after the scan', async () => {
    const source = createFakeSource({
      id: 'pan',
      incidents: [
        fakeIncident('pan', 'OK', { createdAt: at(8 * HOUR) }),
        fakeIncident('pan', 'SOON', { createdAt: at(5 * HOUR) }),
        fakeIncident('pan', 'LATE', { createdAt: at(3 * HOUR) }),
        fakeIncident('pan', 'WAY-LATE', { createdAt: T0 }),
        fakeIncident('pan', 'REVIEW', { createdAt: T0, status: 'in_review' }),
      ],
    });
    const { scan } = setup([source]);

    const summary = await scan(at(8 * HOUR + 30 * MINUTE));

    expect(summary.sources[0]).toMatchObject({ incidents: 4, dueSoon: 1, breached: 1, escalated: 1, intents: 3 });
  });
});

describe('runScan: full and incremental passes', () => {
  it('should do a full first pass, then incremental ones from the watermark minus the overlap', async () => {
    const source = createFakeSource({ id: 'pan', incidents: incidents('pan', 3) });
    const { scan } = setup([source], { overlapMinutes: 15 });

    const first = await scan(at(HOUR));
    source.put(fakeIncident('pan', 'LATER', { createdAt: at(30 * MINUTE) }));
    const second = await scan(at(2 * HOUR));
    await scan(at(3 * HOUR));

    expect(first.sources[0]?.mode).toBe('full');
    expect(second.sources[0]?.mode).toBe('incremental');
    expect(source.windows()).toEqual([
      { mode: 'full' },
      { mode: 'incremental', since: at(2 * MINUTE - 15 * MINUTE) },
      { mode: 'incremental', since: at(30 * MINUTE - 15 * MINUTE) },
    ]);
  });

  it('should make every fullResyncEvery-th scan a full pass again', async () => {
    const source = createFakeSource({ id: 'pan', incidents: incidents('pan', 2) });
    const { scan } = setup([source], { fullResyncEvery: 3 });

    for (let i = 1; i <= 7; i += 1) await scan(at(i * HOUR));

    expect(source.windows().map((w) => w.mode)).toEqual([
      'full',
      'incremental',
      'incremental',
      'full',
      'incremental',
      'incremental',
      'full',
    ]);
  });

  it('should always do full passes for a source that cannot filter by time', async () => {
    const source = createFakeSource({
      id: 'pan',
      capabilities: { incremental: false },
      incidents: incidents('pan', 2),
    });
    const { scan } = setup([source]);

    for (let i = 1; i <= 3; i += 1) await scan(at(i * HOUR));

    expect(source.windows()).toEqual([{ mode: 'full' }, { mode: 'full' }, { mode: 'full' }]);
  });

  it('should do a full pass when forced, and count the resync from there', async () => {
    const source = createFakeSource({ id: 'pan', incidents: incidents('pan', 2) });
    const { deps, scan } = setup([source], { fullResyncEvery: 3 });

    await scan(at(HOUR));
    await scan(at(2 * HOUR));
    const forced = await runScan({ ...deps, options: { ...deps.options, forceFull: true } }, at(3 * HOUR));
    await scan(at(4 * HOUR));

    expect(forced.sources[0]?.mode).toBe('full');
    expect(source.windows().map((w) => w.mode)).toEqual(['full', 'incremental', 'full', 'incremental']);
  });

  it('should retry a failed first full pass as a full pass', async () => {
    const source = createFakeSource({ id: 'pan', incidents: incidents('pan', 2) });
    source.failListing(0, adapterError('unavailable', 'down'));
    const { scan } = setup([source]);

    await scan(at(HOUR));
    source.heal();
    await scan(at(2 * HOUR));
    await scan(at(3 * HOUR));

    expect(source.windows().map((w) => w.mode)).toEqual(['full', 'full', 'incremental']);
  });
});
