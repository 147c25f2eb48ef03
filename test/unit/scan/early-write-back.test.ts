import { describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
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

/** A fake vendor with the early query; `calls` tells the order of queries, listing pages and write-backs. */
function earlySource(found: (cutoffs: BreachCutoffs) => SourceResult<BreachedNewCandidate[]>) {
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
    async findBreachedNew(cutoffs) {
      calls.push('findBreachedNew');
      cutoffsSeen.push(cutoffs);
      return found(cutoffs);
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
    const { source, calls, batches, cutoffsSeen } = earlySource(() => ok(['OLD-1', 'OLD-2', 'FRESH'].map(asRow)));
    const { store, scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(cutoffsSeen[0]?.bySeverity.high).toEqual(at(1 * HOUR));
    expect(cutoffsSeen[0]?.needsPolicy).toBe(false);
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
    const { source, calls, batches } = earlySource(() => err(adapterError('unavailable', 'down')));
    const { scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(calls).toEqual(['findBreachedNew', 'listing', 'writeBack']);
    expect(batches[0]?.map((b) => [b.id, b.confirmedNew])).toEqual([
      ['OLD-1', undefined],
      ['OLD-2', undefined],
    ]);
    expect(first.sources[0]?.writtenBack).toBe(2);
  });
});
