import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generatePaloAltoDataset } from '../../adapters/dlp/paloalto/dataset.js';
import { paloalto } from '../../adapters/dlp/paloalto/index.js';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { createRequestCounter } from '../../src/http/counter.js';
import { silentLogger } from '../../src/log.js';
import type { Clock, IncidentSource } from '../../src/ports/index.js';
import { runScan, type ScanDeps } from '../../src/scan/run-scan.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';

// The real Palo Alto simulator on loopback, the real adapter, the real scan and an in-memory store.
const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const SEED = 23;
const INCIDENTS = 240;
/** The product's default windows, written out here so the expectation does not reuse the code under test. */
const SLA_HOURS: Record<string, number> = { critical: 2, high: 4, medium: 8, low: 12, informational: 16 };
const RANK = { ok: 0, due_soon: 1, breached: 2, escalated: 3 } as const;
type State = keyof typeof RANK;

/** What the simulator's dataset says each listed incident's SLA state is at `now` (null: not awaiting triage). */
function expectedStates(now: Date): Map<string, State | null> {
  const dataset = generatePaloAltoDataset({ seed: SEED, incidents: INCIDENTS, anchor: ANCHOR });
  const states = new Map<string, State | null>();
  for (let position = 0; position < dataset.size(); position += 1) {
    const record = dataset.incident(position);
    if (record.status === 'in_review') states.set(record.incident_id, null);
    if (record.status !== 'open') continue;
    const windowMs = (SLA_HOURS[record.severity] ?? Number.NaN) * HOUR;
    const age = now.getTime() - Date.parse(record.timestamp);
    const state: State =
      age >= 2 * windowMs ? 'escalated' : age >= windowMs ? 'breached' : age >= 0.75 * windowMs ? 'due_soon' : 'ok';
    states.set(record.incident_id, state);
  }
  return states;
}

const running: PaloAltoSimulator[] = [];
const sources: IncidentSource[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  for (const store of stores.splice(0)) store.close();
});
afterAll(async () => {
  await Promise.all(running.map((sim) => sim.close()));
});

async function simulator(clock: Clock, faults?: { errorRate: number }) {
  const sim = await startPaloAltoSimulator({ seed: SEED, incidents: INCIDENTS, anchor: ANCHOR, clock, faults });
  running.push(sim);
  return sim;
}

/** Builds the source as the app does: the simulator's config entry through the real config schema. */
function sourceFor(sim: PaloAltoSimulator, id: string, clock: Clock): IncidentSource {
  const entry = { ...sim.sourceConfig(id), pageSize: 50, http: { maxRetries: 0 } };
  const config = createConfigSchema([paloalto.config], sim.env()).parse({ sources: [entry] });
  const [sourceConfig] = config.sources;
  if (!sourceConfig) throw new Error('the config schema dropped the source');
  const source = paloalto.create(sourceConfig, { logger: silentLogger, counter: createRequestCounter(), clock });
  sources.push(source);
  return source;
}

function setup(scanned: IncidentSource[]) {
  const store = openStore(':memory:');
  stores.push(store);
  const deps: ScanDeps = {
    store,
    sources: scanned,
    policy: createSlaPolicy(SlaConfig.parse({}), []),
    logger: silentLogger,
    options: { fullResyncEvery: 4, overlapMinutes: 10 },
  };
  let seen = 0;
  return {
    store,
    scan: (clock: FixedClock) => runScan(deps, clock.now()),
    newIntents() {
      const rows = store.db
        .prepare('SELECT incident_id AS id, kind FROM outbox WHERE id > ? ORDER BY id')
        .all(seen) as { id: string; kind: string }[];
      seen = (store.db.prepare('SELECT coalesce(max(id), 0) AS n FROM outbox').get() as { n: number }).n;
      return rows;
    },
  };
}

const sortById = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

describe('scan against the Palo Alto simulator', () => {
  it('should store every listed incident with its SLA state, then announce only what time newly breaches', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await simulator(clock);
    const { store, scan, newIntents } = setup([sourceFor(sim, 'pan-sim', clock)]);
    const atAnchor = expectedStates(ANCHOR);

    const first = await scan(clock);

    const stored = new Map([...store.incidents.iterateOpen({ source: 'pan-sim' })].map((i) => [i.id, i.slaState]));
    expect(first.sources[0]).toMatchObject({ ok: true, mode: 'full', skipped: 0, error: null });
    expect(stored).toEqual(atAnchor);
    const count = (state: State) => [...atAnchor.values()].filter((s) => s === state).length;
    expect(count('breached')).toBeGreaterThan(0);
    expect(first.sources[0]).toMatchObject({
      fetched: atAnchor.size,
      dueSoon: count('due_soon'),
      breached: count('breached'),
      escalated: count('escalated'),
    });
    const announced = [...atAnchor].filter(([, s]) => s !== null && s !== 'ok').map(([id, kind]) => ({ id, kind }));
    expect(sortById(newIntents())).toEqual(sortById(announced));

    const again = await scan(clock);
    expect(again.sources[0]).toMatchObject({ ok: true, mode: 'incremental', intents: 0 });
    expect(newIntents()).toEqual([]);

    clock.advance(2 * HOUR);
    const later = await scan(clock);
    const moved = [...expectedStates(clock.now())].flatMap(([id, state]) => {
      const before = atAnchor.get(id) ?? null;
      return state !== null && before !== null && RANK[state] > RANK[before] ? [{ id, kind: state }] : [];
    });
    expect(later.sources[0]).toMatchObject({ ok: true, mode: 'incremental', intents: moved.length });
    expect(moved.length).toBeGreaterThan(0);
    expect(sortById(newIntents())).toEqual(sortById(moved));
  });

  it('should write no incident row when an incremental rescan finds nothing changed, only the scan state and its audit entry', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await simulator(clock);
    const { store, scan } = setup([sourceFor(sim, 'pan-sim', clock)]);
    const rows = () => store.db.prepare('SELECT * FROM incidents ORDER BY source, id').all();
    const totalChanges = () => store.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    await scan(clock);
    const before = rows();
    const changesBefore = totalChanges().n;

    const again = await scan(clock);

    // The overlap window re-reads the newest records, so the rescan did fetch some: none of them was rewritten.
    expect(again.sources[0]).toMatchObject({ ok: true, mode: 'incremental', intents: 0 });
    expect(again.totals.fetched).toBeGreaterThan(0);
    expect(rows()).toEqual(before);
    expect(totalChanges().n - changesBefore).toBe(2);
    expect(store.scanState.get('pan-sim')?.lastScanAt).toEqual(ANCHOR);
  });

  it('should scan a healthy simulator while another one answers every request with an error', async () => {
    const clock = fixedClock(ANCHOR);
    const healthy = await simulator(clock);
    const broken = await simulator(clock, { errorRate: 1 });
    const { store, scan } = setup([sourceFor(broken, 'pan-down', clock), sourceFor(healthy, 'pan-up', clock)]);

    const summary = await scan(clock);

    const bySource = Object.fromEntries(summary.sources.map((s) => [s.source, s]));
    expect(bySource['pan-down']).toMatchObject({ ok: false, fetched: 0, error: { code: 'unavailable' } });
    expect(bySource['pan-up']).toMatchObject({ ok: true, fetched: expectedStates(ANCHOR).size, error: null });
    expect(store.incidents.countBy('pan-down').total).toBe(0);
    expect(store.incidents.countBy('pan-up').total).toBe(expectedStates(ANCHOR).size);
    expect(summary.totals).toMatchObject({ sources: 2, failed: 1 });
    const audit = [...store.audit.iterate()].map((row) => [row.source, row.action, row.outcome]);
    expect(audit.sort()).toEqual([
      ['pan-down', 'scan.source', 'failed'],
      ['pan-up', 'scan.source', 'ok'],
    ]);
    expect(store.audit.verify()).toMatchObject({ ok: true });
  });
});
