import { describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import type { BreachCutoffs } from '../../../src/domain/sla-cutoff.js';
import type {
  BreachedNewCandidate,
  BreachToWriteBack,
  IncidentSource,
  SourceResult,
} from '../../../src/ports/index.js';
import { createFakeSource, fakeIncident } from '../../support/fake-source.js';
import { useScanner } from '../../support/write-back-scanner.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const scanner = useScanner();

const INCIDENTS = [
  // high: 4 h window. At T0 + 5 h the first two are breached, the third is not yet.
  fakeIncident('sym', 'OLD-1', { createdAt: at(0), status: 'new', severity: 'high' }),
  fakeIncident('sym', 'OLD-2', { createdAt: at(0.5 * HOUR), status: 'new', severity: 'high' }),
  fakeIncident('sym', 'FRESH', { createdAt: at(4.5 * HOUR), status: 'new', severity: 'high' }),
];
const asRow = (id: string): BreachedNewCandidate => {
  const incident = INCIDENTS.find((i) => i.id === id) as (typeof INCIDENTS)[number];
  return { id, createdAt: incident.createdAt, severity: incident.severity, policy: null };
};

/** A fake vendor with the early query (its batches); `calls` tells the order of queries, batches, listing and writes. */
function earlySource(found: (cutoffs: BreachCutoffs) => SourceResult<BreachedNewCandidate[]>[]) {
  const calls: string[] = [];
  const batches: BreachToWriteBack[][] = [];
  const cutoffsSeen: BreachCutoffs[] = [];
  const base = createFakeSource({ id: 'sym', pageSize: 10, capabilities: { writeBack: true }, incidents: INCIDENTS });
  const source: IncidentSource = {
    ...base,
    async *listOpen(window) {
      calls.push('listing');
      yield* base.listOpen(window);
    },
    async *findBreachedNew(cutoffs) {
      calls.push('findBreachedNew');
      cutoffsSeen.push(cutoffs);
      for (const [i, batch] of found(cutoffs).entries()) {
        if (i > 0) {
          // The vendor answers the next query on a later turn of the event loop, as over the network.
          await new Promise((resolve) => setImmediate(resolve));
          calls.push(`batch ${i + 1}`);
        }
        yield batch;
      }
    },
    async writeBack(batch) {
      calls.push('writeBack');
      batches.push([...batch]);
      return ok({ written: batch.map((b) => b.id), skipped: [] });
    },
  };
  return { source, calls, batches, cutoffsSeen };
}

describe('write-back before the listing', () => {
  it('should ask for each severity up to its cutoff, write what the SLA says is breached before listing, and not again after', async () => {
    const { source, calls, batches, cutoffsSeen } = earlySource(() => [ok(['OLD-1', 'OLD-2', 'FRESH'].map(asRow))]);
    const { store, scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(cutoffsSeen[0]?.bySeverity.high).toEqual(at(1 * HOUR));
    expect(cutoffsSeen[0]?.needsPolicy).toBe(false);
    expect(cutoffsSeen[0]?.exact).toBe(true);
    expect(calls).toEqual(['findBreachedNew', 'writeBack', 'listing']);
    expect(batches[0]?.map((b) => [b.id, b.confirmedNew, b.slaHours])).toEqual([
      ['OLD-1', true, 4],
      ['OLD-2', true, 4],
    ]);
    expect(first.sources[0]?.writtenBack).toBe(2);
    expect(first.sources[0]?.writeBackDoneMs).toBeTypeOf('number');
    const rows = [...store.audit.iterate()].filter((r) => r.action === 'sla.write_back');
    expect(rows.map((r) => r.incidentId)).toEqual(['OLD-1', 'OLD-2', null]);

    // Remembered once the listing stored them: the next scan's early query returns them New again (an analyst moved
    // them back), and they are not written twice.
    await scan(at(6 * HOUR));
    expect(batches).toHaveLength(1);
  });

  it('should leave the backlog to the write-back after the listing when the early query fails', async () => {
    const { source, calls, batches } = earlySource(() => [err(adapterError('unavailable', 'down'))]);
    const { scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(calls).toEqual(['findBreachedNew', 'listing', 'writeBack']);
    expect(batches[0]?.map((b) => [b.id, b.confirmedNew])).toEqual([
      ['OLD-1', undefined],
      ['OLD-2', undefined],
    ]);
    expect(first.sources[0]?.writtenBack).toBe(2);
  });

  it('should write each batch back as soon as it is read, before the next arrives, and record them all once', async () => {
    const { source, calls, batches } = earlySource(() => [
      ok([asRow('OLD-2')]),
      ok([asRow('FRESH')]),
      ok([asRow('OLD-1')]),
    ]);
    const { store, scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(calls).toEqual(['findBreachedNew', 'writeBack', 'batch 2', 'batch 3', 'writeBack', 'listing']);
    expect(batches.map((batch) => batch.map((b) => b.id))).toEqual([['OLD-2'], ['OLD-1']]);
    expect(first.sources[0]?.writtenBack).toBe(2);
    const rows = [...store.audit.iterate()].filter((r) => r.action === 'sla.write_back');
    expect(rows.map((r) => r.incidentId)).toEqual(['OLD-2', 'OLD-1', null]);
  });

  it('should keep what it wrote before a batch query failed and leave the rest to the write-back after the listing', async () => {
    const { source, calls, batches } = earlySource(() => [
      ok([asRow('OLD-1')]),
      err(adapterError('unavailable', 'down')),
    ]);
    const { scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(calls).toEqual(['findBreachedNew', 'writeBack', 'batch 2', 'listing', 'writeBack']);
    expect(batches.map((batch) => batch.map((b) => b.id))).toEqual([['OLD-1'], ['OLD-2']]);
    expect(first.sources[0]?.writtenBack).toBe(2);
  });

  it('should take a row without its creation time as breached only when the cutoffs are the rule itself', async () => {
    const undated = (): SourceResult<BreachedNewCandidate[]>[] => [
      ok([{ id: 'OLD-1', createdAt: null, severity: 'high', policy: null }]),
    ];
    const exact = earlySource(undated);
    await scanner(exact.source).scan(at(5 * HOUR));
    expect(exact.calls).toEqual(['findBreachedNew', 'writeBack', 'listing', 'writeBack']);
    expect(exact.batches.map((batch) => batch.map((b) => [b.id, b.createdAt]))).toEqual([
      [['OLD-1', null]],
      [['OLD-2', at(0.5 * HOUR)]],
    ]);

    // A policy override makes the window depend on the policy name: the undated row is left to the listing's decision.
    const overridden = createSlaPolicy(SlaConfig.parse({ policies: [{ match: 'PCI*', hours: { high: 1 } }] }), []);
    const inexact = earlySource(undated);
    await scanner(inexact.source, overridden).scan(at(5 * HOUR));
    expect(inexact.cutoffsSeen[0]?.exact).toBe(false);
    expect(inexact.calls).toEqual(['findBreachedNew', 'listing', 'writeBack']);
    expect(inexact.batches[0]?.map((b) => b.id)).toEqual(['OLD-1', 'OLD-2']);
  });
});
