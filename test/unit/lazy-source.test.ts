import { describe, expect, it } from 'vitest';
import { lazySource, type SourceCalls } from '../../src/lazy-source.js';
import type { Capabilities, IncidentSource } from '../../src/ports/index.js';
import { createFakeSource, FAKE_CAPABILITIES, fakeIncident } from '../support/fake-source.js';

const ACTOR = { email: 'ana@corp.example', display: 'Ana' };

/** A lazy source over a fake one, counting how often its implementation was loaded. */
function lazyOver(fake: IncidentSource, capabilities: Capabilities = FAKE_CAPABILITIES) {
  let loads = 0;
  const head = { id: fake.id, vendor: 'fake', displayName: 'Fake DLP', capabilities };
  const source = lazySource(head, async () => {
    loads += 1;
    return fake;
  });
  return { source, loads: () => loads };
}

describe('lazySource', () => {
  it('should load the implementation on the first call only, and answer every call as the implementation does', async () => {
    const incident = fakeIncident('pan', '7');
    const fake = createFakeSource({ id: 'pan', incidents: [incident] });
    const { source, loads } = lazyOver(fake);
    expect(source).toMatchObject({ id: 'pan', vendor: 'fake', displayName: 'Fake DLP' });
    expect(loads()).toBe(0);

    const pages = [];
    for await (const page of source.listOpen({ mode: 'full' })) pages.push(page);
    expect(pages).toEqual([{ ok: true, value: { incidents: [incident], skipped: 0, expectedTotal: 1 } }]);
    expect(await source.get('7')).toEqual({ ok: true, value: incident });
    await source.assign('7', { id: 'bob@corp.example' }, ACTOR);
    await source.addNote('7', 'checked', ACTOR);
    await source.markFalsePositive('7', 'test data', ACTOR);
    await source.snippets('7');
    await source.check();
    await source.close();
    expect(loads()).toBe(1);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'listOpen',
      'get',
      'assign',
      'addNote',
      'markFalsePositive',
      'snippets',
      'check',
      'close',
    ]);
    expect(fake.calls.slice(2, 5)).toEqual([
      { method: 'assign', id: '7', arg: 'bob@corp.example' },
      { method: 'addNote', id: '7', arg: 'checked' },
      { method: 'markFalsePositive', id: '7', arg: 'test data' },
    ]);
  });

  it('should close without loading anything when no call ever needed the implementation', async () => {
    const fake = createFakeSource({ id: 'pan' });
    const { source, loads } = lazyOver(fake);
    await source.close();
    expect(loads()).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  it('should offer write-back exactly when its capabilities do', async () => {
    const written = { written: ['7'], skipped: [] };
    const calls: SourceCalls = {
      ...createFakeSource({ id: 'sym' }),
      writeBack: async () => ({ ok: true, value: written }),
    };
    const head = { id: 'sym', vendor: 'fake', displayName: 'Fake DLP' };
    const without = lazySource({ ...head, capabilities: FAKE_CAPABILITIES }, async () => calls);
    const withIt = lazySource({ ...head, capabilities: { ...FAKE_CAPABILITIES, writeBack: true } }, async () => calls);
    expect(without.writeBack).toBeUndefined();
    const breach = {
      id: '7',
      createdAt: new Date('2026-03-02T10:00:00Z'),
      status: 'new',
      slaHours: 4,
    };
    expect(await withIt.writeBack?.([breach])).toEqual({ ok: true, value: written });
  });
});
