import { afterEach, describe, expect, it } from 'vitest';
import { LONG_ID } from '../../../adapters/dlp/simulator-kit/hostile.js';
import { shortKeyOf } from '../../../src/domain/vendor-id.js';
import { fakeIncident } from '../../support/fake-source.js';
import { note } from '../../support/triage-requests.js';
import { alice, click, type Harness, harness, T0, vendorActions } from './harness.js';

/** Buttons name an incident whose id is too long for them by a short key; the core maps it back first. */
let h: Harness;
afterEach(() => h.store.close());

const LONG = { source: 'pan', shortKey: shortKeyOf({ source: 'pan', id: LONG_ID }) as string };
const UNKNOWN = { source: 'pan', shortKey: 'AAAAAAAAAAAAAAAA' };

describe('a button naming its incident by a short key', () => {
  it('should act on the incident the short key stands for, audited under its full id', async () => {
    h = harness({ incidents: [fakeIncident('pan', LONG_ID, { createdAt: T0 })] });
    const outcome = await h.handlers.triage(note('looked at it'), LONG, click(alice));
    expect(outcome.kind).toBe('done');
    expect(vendorActions(h.source)).toEqual([{ method: 'addNote', id: LONG_ID, arg: 'looked at it' }]);
    expect(h.audit().map((r) => [r.action, r.outcome, r.incidentId])).toEqual([['incident.note', 'ok', LONG_ID]]);
    const redrawn = await h.handlers.redraw({ key: LONG, card: null }, click(alice));
    expect(redrawn.ok).toBe(true);
  });

  it('should refuse a short key no stored incident has as an unreadable button, audited under no incident', async () => {
    h = harness({ incidents: [fakeIncident('pan', LONG_ID, { createdAt: T0 })] });
    const outcome = await h.handlers.triage(note('looked at it'), UNKNOWN, click(alice));
    expect(outcome).toMatchObject({ kind: 'denied', text: expect.stringMatching(/could not be read/) });
    const grant = await h.handlers.authorize('incident.note', UNKNOWN, click(alice));
    expect(grant.open).toBe(false);
    const redrawn = await h.handlers.redraw({ key: UNKNOWN, card: null }, click(alice));
    expect(redrawn.ok).toBe(false);
    expect(vendorActions(h.source)).toEqual([]);
    expect(h.audit().map((r) => [r.action, r.outcome, r.incidentId, r.detail])).toEqual([
      ['incident.note', 'denied', null, { error: 'unreadable' }],
      ['incident.note', 'denied', null, { error: 'unreadable' }],
      ['card.redraw', 'denied', null, { error: 'unreadable' }],
    ]);
  });
});
