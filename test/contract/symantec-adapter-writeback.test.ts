import { afterEach, describe, expect, it } from 'vitest';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import {
  DEFAULT_STATUSES,
  type IncidentSnapshot,
  type SymantecSimulator,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { silentLogger } from '../../src/log.js';
import type { BreachToWriteBack, IncidentSource } from '../../src/ports/index.js';
import { runScan } from '../../src/scan/run-scan.js';
import { openStore, type Store } from '../../src/store/index.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';
import { ARTICLE_ANCHOR as ANCHOR, articleSlaHours, HOUR, lateNew } from '../support/symantec-article.js';

const PATCH_ROUTES = [
  'PATCH /ProtectManager/webservices/v2/incidents',
  'PATCH /ProtectManager/webservices/v2/incidents/',
];
const QUERY_ROUTE = 'POST /ProtectManager/webservices/v2/incidents';
const WRITE_BACK = { writeBack: { enabled: true } };
const track = closeAfterAll();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const patches = (sim: SymantecSimulator) => PATCH_ROUTES.reduce((n, r) => n + (sim.requests().byRoute[r] ?? 0), 0);
const queries = (sim: SymantecSimulator) => sim.requests().byRoute[QUERY_ROUTE] ?? 0;
const note = (slaHours: number) => `SLA Breach escalation by dlp-bot: New for longer than its ${slaHours}-hour SLA.`;

async function setup(clock: FixedClock, options: SourceOptions = {}, statuses = DEFAULT_STATUSES) {
  const sim = track(
    await startSymantecSimulator({ seed: 29, incidents: 180, anchor: ANCHOR, clock, statuses, hiddenShare: 0.1 }),
  );
  const source = track(
    createSourceFor(symantec, sim, {
      id: 'sym',
      clock,
      ...options,
      overrides: { ...WRITE_BACK, ...options.overrides },
    }),
  );
  return { sim, source };
}
const breach = (s: IncidentSnapshot, status: string): BreachToWriteBack => ({
  id: String(s.incidentId),
  createdAt: s.createdAt,
  status,
  slaHours: articleSlaHours(s),
});

describe('Symantec adapter: write-back of breaches', () => {
  it('should offer write-back only when the config turns it on', async () => {
    const clock = fixedClock(ANCHOR);
    const { sim, source } = await setup(clock);
    expect(source.capabilities.writeBack).toBe(true);
    expect(source.writeBack).toBeTypeOf('function');
    const off = track(createSourceFor(symantec, sim, { clock }));
    expect(off.capabilities.writeBack).toBe(false);
    expect(off.writeBack).toBeUndefined();
  });

  it('should move still-New breaches to SLA Breach in one bulk PATCH, with the SLA note, and skip the rest', async () => {
    const clock = fixedClock(ANCHOR);
    const { sim, source } = await setup(clock);
    const lateAny = lateNew(sim, ANCHOR);
    // One severity, so one SLA and one note: a single PATCH.
    const late = lateAny.filter((s) => s.severityId === lateAny[0]?.severityId);
    const [a, b, c, changed] = late as [IncidentSnapshot, IncidentSnapshot, IncidentSnapshot, IncidentSnapshot];
    const hidden = sim.incidents().find((s) => s.isHidden && s.incidentStatusId === 1) as IncidentSnapshot;
    const queued = sim.incidents().find((s) => s.incidentStatusId === 161) as IncidentSnapshot;
    // An analyst picked this one up in the console after the bot's last scan.
    okValue(
      await source.markFalsePositive(String(changed.incidentId), 'seen in the console', { email: null, display: 'x' }),
    );
    const [patchesBefore, queriesBefore] = [patches(sim), queries(sim)];

    const result = okValue(
      await (source.writeBack as NonNullable<IncidentSource['writeBack']>)([
        breach(a, 'new'),
        breach(b, 'new'),
        breach(c, 'new'),
        breach(changed, 'new'),
        breach(hidden, 'new'),
        breach(queued, 'open'),
        { id: '2147400000', createdAt: a.createdAt, status: 'new', slaHours: articleSlaHours(a) },
        { id: 'not-an-id', createdAt: a.createdAt, status: 'new', slaHours: articleSlaHours(a) },
      ]),
    );
    const ids = (...s: IncidentSnapshot[]) => s.map((x) => String(x.incidentId));
    expect(result.written.sort()).toEqual(ids(a, b, c).sort());
    expect(result.skipped.sort()).toEqual([...ids(changed, hidden, queued), '2147400000', 'not-an-id'].sort());
    expect(patches(sim) - patchesBefore).toBe(1);
    expect(queries(sim) - queriesBefore).toBe(1);
    // "Still New" is asked with the example script's own filters; the PATCH is the script's, plus the status name.
    const [check, patch] = sim.receivedBodies().slice(-2);
    // The simulator runs on UTC: naive times are the ISO instant without its zone (milliseconds only when non-zero).
    const naive = (ms: number) => new Date(ms).toISOString().replace(/(\.000)?Z$/, '');
    const times = [a, b, c, changed, hidden].map((s) => s.createdAt.getTime());
    const created = [naive(Math.min(...times)), naive(Math.max(...times))];
    expect(check?.body).toMatchObject({
      select: [{ name: 'incidentId' }],
      filter: {
        filters: [
          { operandOne: { name: 'incidentStatusId' }, operator: 'IN', operandTwoValues: [1] },
          { operandOne: { name: 'isHidden' }, operator: 'EQ', operandTwoValues: [false] },
          { operandOne: { name: 'creationDate' }, operator: 'GTE', operandTwoValues: [created[0]] },
          { operandOne: { name: 'creationDate' }, operator: 'LTE', operandTwoValues: [created.at(-1)] },
        ],
      },
    });
    expect(patch).toEqual({
      method: 'PATCH',
      body: {
        incidentIds: [a, b, c].map((s) => s.incidentId),
        incidentStatusId: 161,
        incidentStatusName: 'SLA Breach',
        incidentNotes: [{ note: note(articleSlaHours(a)), dateTime: '2026-11-23T10:00:00' }],
      },
    });
    for (const s of [a, b, c]) {
      expect(sim.incident(s.incidentId)).toMatchObject({ incidentStatusId: 161, notes: [note(articleSlaHours(a))] });
      expect(
        sim
          .incident(s.incidentId)
          ?.history.slice(0, 2)
          .map((h) => h.action),
      ).toEqual(['ADD_COMMENT', 'SET_STATUS']);
    }
    expect(sim.incident(changed.incidentId)?.incidentStatusId).toBe(43);
    expect(sim.incident(hidden.incidentId)).toMatchObject({ incidentStatusId: 1, notes: [] });
    expect(sim.incident(queued.incidentId)?.notes).toEqual([]);
  });

  it('should send one PATCH per SLA (one note each), or one per batch when notes are off', async () => {
    const clock = fixedClock(ANCHOR);
    const { sim, source } = await setup(clock);
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(8);
    const before = patches(sim);
    const first = late.slice(0, 4).map((s) => breach(s, 'new'));
    const written = okValue(await (source.writeBack as NonNullable<IncidentSource['writeBack']>)(first)).written;
    expect(written).toHaveLength(4);
    expect(patches(sim) - before).toBe(new Set(first.map((b) => b.slaHours)).size);
    for (const s of late.slice(0, 4)) expect(sim.incident(s.incidentId)?.notes).toEqual([note(articleSlaHours(s))]);

    const quiet = track(
      createSourceFor(symantec, sim, { clock, overrides: { writeBack: { enabled: true, note: false } } }),
    );
    const rest = late.slice(4, 9).map((s) => breach(s, 'new'));
    const mid = patches(sim);
    expect(okValue(await (quiet.writeBack as NonNullable<IncidentSource['writeBack']>)(rest)).written).toHaveLength(5);
    expect(patches(sim) - mid).toBe(1);
    for (const s of late.slice(4, 9))
      expect(sim.incident(s.incidentId)).toMatchObject({ incidentStatusId: 161, notes: [] });
  });

  it('should move at most writeBack.maxPerScan incidents per call, leaving the rest neither written nor skipped', async () => {
    const clock = fixedClock(ANCHOR);
    const { sim, source } = await setup(clock, { overrides: { writeBack: { enabled: true, maxPerScan: 3 } } });
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(3);
    const result = okValue(
      await (source.writeBack as NonNullable<IncidentSource['writeBack']>)(late.map((s) => breach(s, 'new'))),
    );
    expect(result.written).toEqual(late.slice(0, 3).map((s) => String(s.incidentId)));
    expect(result.skipped).toEqual([]);
    expect(result.marked).toEqual({ status: 'open', rawStatus: 'SLA Breach' });
    expect(late.filter((s) => sim.incident(s.incidentId)?.incidentStatusId === 161)).toHaveLength(3);
  });

  it('should split more than 10,000 incidents into PATCHes of at most 10,000 ids', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = track(
      await startSymantecSimulator({ seed: 5, incidents: 20_000, anchor: ANCHOR, clock, breachedShare: 1 }),
    );
    const source = track(
      createSourceFor(symantec, sim, { id: 'sym', clock, overrides: { writeBack: { enabled: true, note: false } } }),
    );
    const late = lateNew(sim, ANCHOR);
    expect(late.length).toBeGreaterThan(10_000);
    const result = okValue(
      await (source.writeBack as NonNullable<IncidentSource['writeBack']>)(late.map((s) => breach(s, 'new'))),
    );
    expect(result.written).toHaveLength(late.length);
    const sizes = sim
      .receivedBodies()
      .filter((b) => b.method === 'PATCH')
      .map((b) => (b.body as { incidentIds: unknown[] }).incidentIds.length);
    expect(sizes).toEqual([10_000, late.length - 10_000]);
  });

  it('should answer rejected, writing nothing, when Enforce has no status of the configured name', async () => {
    const clock = fixedClock(ANCHOR);
    const statuses = DEFAULT_STATUSES.filter((s) => s.id !== 161);
    const { sim, source } = await setup(clock, {}, statuses);
    const s = sim.incidents().find((x) => x.incidentStatusId === 1 && !x.isHidden) as IncidentSnapshot;
    const error = errorOf(await (source.writeBack as NonNullable<IncidentSource['writeBack']>)([breach(s, 'new')]));
    expect(error.code).toBe('rejected');
    expect(error.message).toMatch(/"SLA Breach"/);
    expect(patches(sim)).toBe(0);
    expect(errorOf(await source.check()).code).toBe('rejected');
    // The listing still works: the missing write-back status is left out, not fatal.
    expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
  });
});

describe('Symantec write-back through the scan', () => {
  it('should mark each breached New incident once, leave it listed as awaiting triage, and add later breaches', async () => {
    const clock = fixedClock(ANCHOR);
    const { sim, source } = await setup(clock);
    const store = openStore(':memory:');
    stores.push(store);
    const deps = {
      store,
      sources: [source],
      policy: createSlaPolicy(SlaConfig.parse({}), []),
      logger: silentLogger,
      options: { fullResyncEvery: 4, overlapMinutes: 10 },
    };
    const expected = lateNew(sim, ANCHOR);
    expect(expected.length).toBeGreaterThan(10);

    const first = await runScan(deps, ANCHOR);
    expect(first.sources[0]).toMatchObject({ ok: true, error: null, writtenBack: expected.length });
    for (const s of expected) {
      expect(sim.incident(s.incidentId)).toMatchObject({ incidentStatusId: 161, notes: [note(articleSlaHours(s))] });
    }
    expect(lateNew(sim, ANCHOR)).toEqual([]);

    clock.advance(2 * HOUR);
    const later = new Date(ANCHOR.getTime() + 2 * HOUR);
    const newlyLate = lateNew(sim, later);
    expect(newlyLate.length).toBeGreaterThan(0);
    const before = patches(sim);
    const second = await runScan(deps, later);
    expect(second.sources[0]).toMatchObject({ ok: true, writtenBack: newlyLate.length });
    for (const s of [...expected, ...newlyLate]) expect(sim.incident(s.incidentId)?.notes).toHaveLength(1);
    expect(patches(sim) - before).toBe(new Set(newlyLate.map(articleSlaHours)).size);

    // A full pass re-reads them: still awaiting triage, now as "SLA Breach", so open and breached, not re-marked.
    const third = await runScan({ ...deps, options: { ...deps.options, forceFull: true } }, later);
    expect(third.sources[0]).toMatchObject({ ok: true, mode: 'full', writtenBack: 0 });
    expect(patches(sim) - before).toBe(new Set(newlyLate.map(articleSlaHours)).size);
    for (const s of [...expected, ...newlyLate]) {
      const stored = store.incidents.get({ source: 'sym', id: String(s.incidentId) });
      expect(stored).toMatchObject({ status: 'open', rawStatus: 'SLA Breach' });
      expect(['breached', 'escalated']).toContain(stored?.slaState);
    }
  });
});
