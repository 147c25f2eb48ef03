import { afterEach, describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import { runScan, type ScanDeps, type ScanOptions } from '../../../src/scan/run-scan.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createFakeSource, type FakeSource, fakeIncident } from '../../support/fake-source.js';

// Fixed instants only: a high incident created at T0 is due soon at +3 h, breached at +4 h, escalated at +8 h.
const T0 = new Date('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(T0.getTime() + ms);

const policy = createSlaPolicy(SlaConfig.parse({}), []);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup(source: FakeSource, options: Partial<ScanOptions> = {}) {
  const store = openStore(':memory:');
  stores.push(store);
  const deps: ScanDeps = {
    store,
    sources: [source],
    policy,
    logger: silentLogger,
    options: { fullResyncEvery: 100, overlapMinutes: 10, ...options },
  };
  let seen = 0;
  return {
    store,
    scan: (now: Date, forceFull = false) => runScan({ ...deps, options: { ...deps.options, forceFull } }, now),
    /** Outbox rows written since the last call. */
    newIntents() {
      const rows = store.db
        .prepare('SELECT incident_id AS id, kind FROM outbox WHERE id > ? ORDER BY id')
        .all(seen) as { id: string; kind: string }[];
      seen = (store.db.prepare('SELECT coalesce(max(id), 0) AS n FROM outbox').get() as { n: number }).n;
      return rows;
    },
  };
}

const get = (store: Store, id: string) => store.incidents.get({ source: 'pan', id });

describe('scan: what a rescan announces', () => {
  it('should write no outbox rows when nothing changed, in full and incremental rescans alike', async () => {
    const source = createFakeSource({
      id: 'pan',
      incidents: [
        fakeIncident('pan', 'A', { createdAt: T0 }),
        fakeIncident('pan', 'B', { createdAt: at(2 * HOUR) }),
        fakeIncident('pan', 'C', { createdAt: at(3 * HOUR), status: 'in_review' }),
      ],
    });
    const { scan, newIntents } = setup(source);
    await scan(at(5 * HOUR));
    expect(newIntents()).toEqual([
      { id: 'A', kind: 'breached' },
      { id: 'B', kind: 'due_soon' },
    ]);

    const incremental = await scan(at(5 * HOUR));
    const full = await scan(at(5 * HOUR), true);

    expect([incremental.sources[0]?.mode, full.sources[0]?.mode]).toEqual(['incremental', 'full']);
    expect(incremental.totals.intents + full.totals.intents).toBe(0);
    expect(newIntents()).toEqual([]);
  });

  it.each([
    ['assignee', { assignee: 'carol@corp.example' }],
    ['status (still awaiting triage)', { status: 'new', rawStatus: 'New' }],
    ['file name', { fileName: 'cards-v2.xlsx' }],
  ] as const)('should write exactly one updated for a changed %s of an announced incident', async (_field, patch) => {
    const source = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', 'A', { createdAt: T0 })] });
    const { store, scan, newIntents } = setup(source);
    await scan(at(5 * HOUR));
    expect(newIntents()).toEqual([{ id: 'A', kind: 'breached' }]);

    source.change('A', patch);
    const changed = await scan(at(5 * HOUR + MINUTE));
    await scan(at(5 * HOUR + 2 * MINUTE));

    expect(changed.totals.intents).toBe(1);
    expect(newIntents()).toEqual([{ id: 'A', kind: 'updated' }]);
    expect(get(store, 'A')).toMatchObject({ ...patch, slaState: 'breached' });
  });

  it('should not announce a change to an incident that was never announced', async () => {
    const source = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', 'A', { createdAt: T0 })] });
    const { scan, newIntents } = setup(source);
    await scan(at(HOUR));

    source.change('A', { assignee: 'carol@corp.example' });
    await scan(at(HOUR + MINUTE));

    expect(newIntents()).toEqual([]);
  });

  it('should write closed when an announced incident the vendor still lists stops awaiting triage', async () => {
    const source = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', 'A', { createdAt: T0 })] });
    const { store, scan, newIntents } = setup(source);
    await scan(at(5 * HOUR));
    newIntents();

    source.change('A', { status: 'in_review', rawStatus: 'In review' });
    await scan(at(5 * HOUR + MINUTE));
    await scan(at(6 * HOUR));

    expect(newIntents()).toEqual([{ id: 'A', kind: 'closed' }]);
    expect(get(store, 'A')).toMatchObject({ status: 'in_review', slaState: null, slaDeadline: null });
  });

  it('should announce again when a closed incident the channel was told about is reopened at the vendor', async () => {
    const source = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', 'A', { createdAt: T0 })] });
    const { store, scan, newIntents } = setup(source);
    await scan(at(5 * HOUR));
    source.change('A', { status: 'in_review', rawStatus: 'In review' });
    await scan(at(5 * HOUR + MINUTE));
    expect(newIntents()).toEqual([
      { id: 'A', kind: 'breached' },
      { id: 'A', kind: 'closed' },
    ]);

    source.change('A', { status: 'open', rawStatus: 'Reopened' });
    await scan(at(5 * HOUR + 2 * MINUTE));
    await scan(at(5 * HOUR + 3 * MINUTE));

    expect(newIntents()).toEqual([{ id: 'A', kind: 'breached' }]);
    expect(get(store, 'A')).toMatchObject({ status: 'open', slaState: 'breached' });
  });

  it('should move an incident ok → due soon → breached → escalated by time alone, one intent per step', async () => {
    const source = createFakeSource({
      id: 'pan',
      incidents: [
        fakeIncident('pan', 'OLD', { createdAt: T0 }),
        // Newer and slow (info, 16 h): moves the watermark past OLD so incremental scans no longer list it.
        fakeIncident('pan', 'NEW', { createdAt: at(50 * MINUTE), severity: 'info' }),
      ],
    });
    const { store, scan, newIntents } = setup(source);
    await scan(at(HOUR));
    expect(newIntents()).toEqual([]);
    expect(get(store, 'OLD')?.slaState).toBe('ok');

    const steps: [number, string][] = [
      [3 * HOUR + 30 * MINUTE, 'due_soon'],
      [3 * HOUR + 45 * MINUTE, 'due_soon'],
      [5 * HOUR, 'breached'],
      [6 * HOUR, 'breached'],
      [9 * HOUR, 'escalated'],
      [12 * HOUR, 'escalated'],
    ];
    const announced: { id: string; kind: string }[][] = [];
    for (const [offset, state] of steps) {
      const summary = await scan(at(offset));
      expect(summary.sources[0]?.mode).toBe('incremental');
      expect(get(store, 'OLD')?.slaState).toBe(state);
      announced.push(newIntents());
    }

    expect(announced).toEqual([
      [{ id: 'OLD', kind: 'due_soon' }],
      [],
      [{ id: 'OLD', kind: 'breached' }],
      [],
      [{ id: 'OLD', kind: 'escalated' }],
      [],
    ]);
    // Proof the moves came from re-evaluating the store: the vendor never listed OLD again.
    expect(source.listed.filter((id) => id === 'OLD')).toHaveLength(1);
    expect(get(store, 'OLD')?.slaDeadline).toEqual(at(4 * HOUR));
  });
});

describe('scan: incidents the vendor no longer lists (after a full pass)', () => {
  async function announcedThenGone(mutate: (source: FakeSource) => void) {
    const source = createFakeSource({
      id: 'pan',
      incidents: [
        fakeIncident('pan', 'ANNOUNCED', { createdAt: T0 }),
        fakeIncident('pan', 'QUIET', { createdAt: at(4 * HOUR) }),
        fakeIncident('pan', 'STAYS', { createdAt: at(4 * HOUR) }),
      ],
    });
    const harness = setup(source);
    await harness.scan(at(5 * HOUR));
    expect(harness.newIntents()).toEqual([{ id: 'ANNOUNCED', kind: 'breached' }]);
    mutate(source);
    const summary = await harness.scan(at(5 * HOUR + 10 * MINUTE), true);
    return { ...harness, source, summary };
  }

  it('should store an incident closed at the vendor as closed, announcing it only if it had been announced', async () => {
    const { store, source, summary, newIntents } = await announcedThenGone((s) => {
      s.change('ANNOUNCED', { status: 'resolved', rawStatus: 'Resolved' });
      s.change('QUIET', { status: 'false_positive', rawStatus: 'False positive' });
    });

    expect(summary.sources[0]).toMatchObject({ ok: true, mode: 'full' });
    expect(
      source.calls
        .filter((c) => c.method === 'get')
        .map((c) => ('id' in c ? c.id : null))
        .sort(),
    ).toEqual(['ANNOUNCED', 'QUIET']);
    expect(get(store, 'ANNOUNCED')).toMatchObject({ status: 'resolved', rawStatus: 'Resolved', slaState: null });
    expect(get(store, 'QUIET')).toMatchObject({ status: 'false_positive', slaState: null });
    expect(newIntents()).toEqual([{ id: 'ANNOUNCED', kind: 'closed' }]);
  });

  it('should dismiss an incident the vendor no longer knows (not_found) once the next full pass misses it too', async () => {
    const { store, summary, scan, newIntents } = await announcedThenGone((s) => {
      s.remove('ANNOUNCED');
      s.remove('QUIET');
    });
    expect(summary.sources[0]).toMatchObject({ ok: true, missing: 2, degraded: null });
    expect(get(store, 'ANNOUNCED')).toMatchObject({ status: 'open', slaState: 'breached' });
    expect(newIntents()).toEqual([]);

    const confirmed = await scan(at(5 * HOUR + 20 * MINUTE));
    expect(confirmed.sources[0]).toMatchObject({ mode: 'full', missing: 0 });
    expect(get(store, 'ANNOUNCED')).toMatchObject({
      status: 'dismissed',
      rawStatus: 'deleted in vendor',
      slaState: null,
    });
    expect(get(store, 'QUIET')).toMatchObject({ status: 'dismissed', slaState: null });
    expect(get(store, 'STAYS')).toMatchObject({ status: 'open', slaState: 'ok' });
    expect(newIntents()).toEqual([{ id: 'ANNOUNCED', kind: 'closed' }]);
  });

  it('should close nothing and report the source degraded when most of the open list vanishes at once', async () => {
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
    const source = createFakeSource({
      id: 'pan',
      incidents: ids.map((id) => fakeIncident('pan', id, { createdAt: T0 })),
    });
    const { store, scan, newIntents } = setup(source);
    await scan(at(5 * HOUR));
    newIntents();
    for (const id of ids) source.remove(id);

    // The first is a scheduled full pass; the second is one because the first was degraded.
    for (const [offset, forceFull] of [[10 * MINUTE, true] as const, [20 * MINUTE, false] as const]) {
      const summary = await scan(at(5 * HOUR + offset), forceFull);
      expect(summary.sources[0]).toMatchObject({ ok: true, mode: 'full', degraded: expect.stringMatching(/6 of 6/) });
      expect(summary.totals.degraded).toBe(1);
    }
    expect(ids.map((id) => get(store, id)?.status)).toEqual(ids.map(() => 'open'));
    expect(newIntents()).toEqual([]);
  });

  it('should close nothing when get-by-id answers "not found" for many incidents at once', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `I${i}`);
    const source = createFakeSource({
      id: 'pan',
      incidents: ids.map((id) => fakeIncident('pan', id, { createdAt: T0 })),
    });
    const { store, scan } = setup(source);
    await scan(at(5 * HOUR));
    const gone = ids.slice(0, 5);
    for (const id of gone) source.remove(id);

    await scan(at(5 * HOUR + 10 * MINUTE), true);
    const summary = await scan(at(5 * HOUR + 20 * MINUTE));
    expect(summary.sources[0]).toMatchObject({
      mode: 'full',
      degraded: 'the vendor answered "not found" for 5 of 5 incident(s) looked up at once',
    });
    expect(gone.map((id) => get(store, id)?.status)).toEqual(gone.map(() => 'open'));
  });

  it('should record what the vendor states for incidents closed in bulk, without calling the source degraded', async () => {
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
    const source = createFakeSource({
      id: 'pan',
      incidents: ids.map((id) => fakeIncident('pan', id, { createdAt: T0 })),
    });
    const { store, scan } = setup(source);
    await scan(at(5 * HOUR));
    for (const id of ids) source.change(id, { status: 'resolved', rawStatus: 'Resolved' });

    const summary = await scan(at(5 * HOUR + 10 * MINUTE), true);
    expect(summary.sources[0]).toMatchObject({ ok: true, degraded: null, missing: 0 });
    expect(ids.map((id) => get(store, id)?.status)).toEqual(ids.map(() => 'resolved'));
  });

  it('should leave an incident untouched when fetching it fails for another reason', async () => {
    const { store, summary, newIntents } = await announcedThenGone((s) => {
      s.remove('ANNOUNCED');
      s.failGet('ANNOUNCED', adapterError('unavailable', 'HTTP 502'));
    });
    const before = get(store, 'ANNOUNCED');

    expect(summary.sources[0]).toMatchObject({ ok: true });
    expect(before).toMatchObject({ status: 'open', slaState: 'breached' });
    expect(before?.lastSeenAt).toEqual(at(5 * HOUR));
    expect(newIntents()).toEqual([]);
  });

  it('should not look up missing incidents on an incremental or a failed pass', async () => {
    const source = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', 'A', { createdAt: T0 })] });
    const { store, scan } = setup(source);
    await scan(at(5 * HOUR));
    source.change('A', { status: 'resolved', rawStatus: 'Resolved' });

    await scan(at(6 * HOUR));
    source.failListing(0, adapterError('unavailable', 'down'));
    await scan(at(7 * HOUR), true);

    expect(source.calls.some((c) => c.method === 'get')).toBe(false);
    expect(get(store, 'A')?.status).toBe('open');
  });
});
