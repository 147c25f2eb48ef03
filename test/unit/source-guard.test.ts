import { describe, expect, it } from 'vitest';
import type { SourceCalls } from '../../src/lazy-source.js';
import type { BreachToWriteBack } from '../../src/ports/index.js';
import { guardSourceCalls } from '../../src/source-guard.js';
import { createFakeSource, fakeIncident } from '../support/fake-source.js';

const ACTOR = { email: 'ana@corp.example', display: 'Ana' };

describe('guardSourceCalls', () => {
  it('should answer not_found for an id the rule refuses, without calling the source', async () => {
    const fake = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', '7')] });
    const guarded = guardSourceCalls(fake);
    for (const id of ['..', 'INC-\uD800', 'a\nb']) {
      expect(await guarded.get(id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await guarded.addNote(id, 'x', ACTOR)).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await guarded.snippets(id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(fake.calls).toEqual([]);
  });

  it('should turn a get answered with another incident into schema_mismatch', async () => {
    const fake = createFakeSource({ id: 'pan', incidents: [fakeIncident('pan', '7')] });
    const confused: SourceCalls = { ...fake, get: async () => ({ ok: true, value: fakeIncident('pan', '8') }) };
    expect(await guardSourceCalls(confused).get('7')).toMatchObject({ ok: false, error: { code: 'schema_mismatch' } });
    expect(await guardSourceCalls(fake).get('7')).toEqual({ ok: true, value: fakeIncident('pan', '7') });
  });

  it('should write back the usable ids only, reporting the refused ones as skipped', async () => {
    const sent: string[][] = [];
    const calls: SourceCalls = {
      ...createFakeSource({ id: 'pan' }),
      writeBack: async (breaches) => {
        sent.push(breaches.map((b) => b.id));
        return { ok: true, value: { written: breaches.map((b) => b.id), skipped: [] } };
      },
    };
    const breach = (id: string): BreachToWriteBack => ({
      id,
      createdAt: new Date(0),
      status: 'new',
      slaHours: 4,
    });
    const result = await guardSourceCalls(calls).writeBack?.([breach('7'), breach('..')]);
    expect(result).toEqual({ ok: true, value: { written: ['7'], skipped: ['..'] } });
    expect(sent).toEqual([['7']]);
  });
});
