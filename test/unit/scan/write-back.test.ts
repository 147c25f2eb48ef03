import { describe, expect, it } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import type { BreachToWriteBack, IncidentSource, SourceResult, WriteBackResult } from '../../../src/ports/index.js';
import type { Store } from '../../../src/store/index.js';
import { createFakeSource, fakeIncident } from '../../support/fake-source.js';
import { useScanner } from '../../support/write-back-scanner.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const scanner = useScanner();

/** A fake vendor that can mark breaches; `answer` decides what each batch returns. */
function writingSource(answer: (batch: readonly BreachToWriteBack[]) => SourceResult<WriteBackResult>, enabled = true) {
  const batches: BreachToWriteBack[][] = [];
  const base = createFakeSource({
    id: 'sym',
    pageSize: 10,
    capabilities: { writeBack: enabled },
    incidents: [
      // high: 4 h window. At T0 + 5 h the first two are breached, the third is not yet.
      fakeIncident('sym', 'OLD-1', { createdAt: at(0), status: 'new' }),
      fakeIncident('sym', 'OLD-2', { createdAt: at(0.5 * HOUR), status: 'new' }),
      fakeIncident('sym', 'FRESH', { createdAt: at(4.5 * HOUR), status: 'new' }),
    ],
  });
  const source: IncidentSource = {
    ...base,
    async writeBack(batch) {
      batches.push([...batch]);
      return answer(batch);
    },
  };
  return { source, batches };
}

const auditOf = (store: Store) => [...store.audit.iterate()].filter((r) => r.action === 'sla.write_back');

describe('write-back of breaches', () => {
  it('should mark each breached incident once, with its hours and SLA, and audit each incident and the scan', async () => {
    const { source, batches } = writingSource((batch) => ok({ written: batch.map((b) => b.id), skipped: [] }));
    const { store, scan } = scanner(source);

    const first = await scan(at(5 * HOUR));
    expect(batches).toEqual([
      [
        { id: 'OLD-1', createdAt: at(0), status: 'new', slaHours: 4 },
        { id: 'OLD-2', createdAt: at(0.5 * HOUR), status: 'new', slaHours: 4 },
      ],
    ]);
    expect(first.sources[0]?.writtenBack).toBe(2);
    expect(auditOf(store).map((r) => [r.incidentId, r.outcome, r.correlationId, r.detail])).toEqual([
      ['OLD-1', 'ok', first.scanId, {}],
      ['OLD-2', 'ok', first.scanId, {}],
      [null, 'ok', first.scanId, { written: 2, skipped: 0 }],
    ]);

    // Later: FRESH breaches too; the first two are never sent again.
    await scan(at(9 * HOUR));
    expect(batches.map((b) => b.map((x) => x.id))).toEqual([['OLD-1', 'OLD-2'], ['FRESH']]);
    await scan(at(10 * HOUR));
    expect(batches).toHaveLength(2);
  });

  it('should remember what the adapter skipped and not ask again', async () => {
    const { source, batches } = writingSource((batch) =>
      ok({ written: batch.filter((b) => b.id !== 'OLD-2').map((b) => b.id), skipped: ['OLD-2'] }),
    );
    const { scan } = scanner(source);
    await scan(at(5 * HOUR));
    await scan(at(5.5 * HOUR));
    expect(batches.map((b) => b.map((x) => x.id))).toEqual([['OLD-1', 'OLD-2']]);
  });

  it('should retry after a vendor failure on the next scan, with a failed audit row, and keep the scan ok', async () => {
    let fail = true;
    const { source, batches } = writingSource((batch) =>
      fail
        ? err(adapterError('unavailable', 'PATCH incidents: vendor answered 503'))
        : ok({ written: batch.map((b) => b.id), skipped: [] }),
    );
    const { store, scan } = scanner(source);
    const first = await scan(at(5 * HOUR));
    expect(first.sources[0]).toMatchObject({ ok: true, writtenBack: 0 });
    fail = false;
    const second = await scan(at(5.5 * HOUR));
    expect(second.sources[0]?.writtenBack).toBe(2);
    expect(batches).toHaveLength(2);
    expect(auditOf(store).map((r) => [r.incidentId, r.outcome])).toEqual([
      [null, 'failed'],
      ['OLD-1', 'ok'],
      ['OLD-2', 'ok'],
      [null, 'ok'],
    ]);
  });

  it('should hand the whole backlog over in one call, however large', async () => {
    const { source, batches } = writingSource((batch) => ok({ written: batch.map((b) => b.id), skipped: [] }));
    const many = createFakeSource({
      id: 'sym',
      pageSize: 1_000,
      capabilities: { writeBack: true },
      incidents: Array.from({ length: 2_500 }, (_, i) =>
        fakeIncident('sym', `B-${i}`, { createdAt: at(i), status: 'new' }),
      ),
    });
    const { scan } = scanner({ ...many, writeBack: source.writeBack });
    const first = await scan(at(5 * HOUR));
    expect(first.sources[0]?.writtenBack).toBe(2_500);
    expect(batches.map((b) => b.length)).toEqual([2_500]);
  });

  it('should show the status the vendor now holds in the store right after the scan that wrote it', async () => {
    const { source } = writingSource((batch) =>
      ok({ written: batch.map((b) => b.id), skipped: [], marked: { status: 'open', rawStatus: 'SLA Breach' } }),
    );
    const { store, scan } = scanner(source);
    const first = await scan(at(5 * HOUR));
    expect(store.incidents.get({ source: 'sym', id: 'OLD-1' })).toMatchObject({
      status: 'open',
      rawStatus: 'SLA Breach',
    });
    expect(store.incidents.get({ source: 'sym', id: 'FRESH' })).toMatchObject({ status: 'new' });
    expect(auditOf(store).find((r) => r.incidentId === 'OLD-2')).toMatchObject({
      surface: 'scheduler',
      correlationId: first.scanId,
      detail: { status: 'SLA Breach' },
    });
  });

  it('should keep what was written before a vendor failure midway, audit the failure, and retry the rest', async () => {
    let fail = true;
    const { source, batches } = writingSource((batch) =>
      fail
        ? ok({ written: ['OLD-1'], skipped: [], failure: adapterError('unavailable', 'PATCH incidents: 503') })
        : ok({ written: batch.map((b) => b.id), skipped: [] }),
    );
    const { store, scan } = scanner(source);
    const first = await scan(at(5 * HOUR));
    expect(first.sources[0]).toMatchObject({ ok: true, writtenBack: 1 });
    expect(auditOf(store).map((r) => [r.incidentId, r.outcome, r.detail])).toEqual([
      ['OLD-1', 'ok', {}],
      [null, 'ok', { written: 1, skipped: 0 }],
      [null, 'failed', { pending: 1, error: 'unavailable' }],
    ]);
    fail = false;
    await scan(at(5.5 * HOUR));
    expect(batches.map((b) => b.map((x) => x.id))).toEqual([['OLD-1', 'OLD-2'], ['OLD-2']]);
  });

  it('should never call a source that is not configured to write back', async () => {
    const { source, batches } = writingSource(() => ok({ written: [], skipped: [] }), false);
    const { store, scan } = scanner(source);
    await scan(at(9 * HOUR));
    expect(batches).toEqual([]);
    expect(auditOf(store)).toEqual([]);
  });
});
