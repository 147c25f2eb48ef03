import { afterEach, describe, expect, it } from 'vitest';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { applyPage } from '../../../src/scan/apply-page.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { fakeIncident } from '../../support/fake-source.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const policy = createSlaPolicy(SlaConfig.parse({}), []);

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup() {
  const store = openStore(':memory:');
  stores.push(store);
  return { store, context: { now: at(5 * HOUR), scanId: 'scan-1', unwritten: new Set<string>() } };
}

describe('applyPage', () => {
  it('should store a record repeated on a later page once, keeping the first copy', () => {
    const { store, context } = setup();
    const b = fakeIncident('pan', 'B', { createdAt: at(HOUR) });

    const first = applyPage(store, policy, [fakeIncident('pan', 'A', { createdAt: T0 }), b], context);
    const second = applyPage(
      store,
      policy,
      [{ ...b, assignee: 'shifted@corp.example' }, fakeIncident('pan', 'C', { createdAt: at(2 * HOUR) })],
      context,
    );

    expect(first).toEqual({ stored: 2, intents: 2, newestCreatedAt: at(HOUR) });
    expect(second).toEqual({ stored: 1, intents: 1, newestCreatedAt: at(2 * HOUR) });
    expect(store.incidents.get({ source: 'pan', id: 'B' })?.assignee).toBeNull();
    expect(store.outbox.counts().pending).toBe(3);
  });

  it('should keep the first copy of a repeated record too when it expects every record new (a first scan)', () => {
    const { store, context } = setup();
    const firstScan = { ...context, expectNew: true };
    const b = fakeIncident('pan', 'B', { createdAt: at(HOUR) });

    const first = applyPage(store, policy, [fakeIncident('pan', 'A', { createdAt: T0 }), b], firstScan);
    const second = applyPage(store, policy, [{ ...b, assignee: 'shifted@corp.example' }], firstScan);

    expect(first).toEqual({ stored: 2, intents: 2, newestCreatedAt: at(HOUR) });
    expect(second).toEqual({ stored: 0, intents: 0, newestCreatedAt: null });
    expect(store.incidents.get({ source: 'pan', id: 'B' })?.assignee).toBeNull();
  });

  it('should update a row that was there after all when it expected every record new', () => {
    const { store, context } = setup();
    const b = fakeIncident('pan', 'B', { createdAt: at(HOUR) });
    applyPage(store, policy, [b], { ...context, scanId: 'scan-0' });

    const outcome = applyPage(store, policy, [{ ...b, assignee: 'carol@corp.example' }], {
      ...context,
      expectNew: true,
    });

    expect(outcome).toEqual({ stored: 1, intents: 1, newestCreatedAt: at(HOUR) });
    expect(store.incidents.get({ source: 'pan', id: 'B' })).toMatchObject({
      assignee: 'carol@corp.example',
      lastSeenScan: 'scan-1',
      firstSeenAt: at(5 * HOUR),
    });
  });

  it('should tell a repeat from the store alone, remembering no id of a row the scan wrote', () => {
    const { store, context } = setup();
    const b = fakeIncident('pan', 'B', { createdAt: at(HOUR) });
    applyPage(store, policy, [fakeIncident('pan', 'A', { createdAt: T0 }), b], context);

    // A fresh set: nothing of the first page is remembered in memory, the row's last_seen_scan says it all.
    const later = { ...context, unwritten: new Set<string>() };
    const second = applyPage(store, policy, [{ ...b, assignee: 'shifted@corp.example' }], later);

    expect(second).toEqual({ stored: 0, intents: 0, newestCreatedAt: null });
    expect(store.incidents.get({ source: 'pan', id: 'B' })?.assignee).toBeNull();
    expect(context.unwritten.size).toBe(0);
  });

  it('should keep the first copy on an incremental scan that found it unchanged and wrote nothing', () => {
    const { store, context } = setup();
    const b = fakeIncident('pan', 'B', { createdAt: at(HOUR) });
    applyPage(store, policy, [b], { ...context, scanId: 'scan-0' });
    const incremental = { ...context, unchanged: 'skip' as const };
    const changes = () => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();

    const first = applyPage(store, policy, [b], incremental);
    const second = applyPage(store, policy, [{ ...b, assignee: 'shifted@corp.example' }], incremental);

    expect(first).toEqual({ stored: 1, intents: 0, newestCreatedAt: at(HOUR) });
    expect(second).toEqual({ stored: 0, intents: 0, newestCreatedAt: null });
    expect(store.incidents.get({ source: 'pan', id: 'B' })).toMatchObject({ assignee: null, lastSeenScan: 'scan-0' });
    expect(changes()).toBe(before);
  });

  it('should lay the local triage of each record over it, read for the whole page at once', () => {
    const { store, context } = setup();
    const page = ['A', 'B', 'C'].map((id) => fakeIncident('zwa', id, { createdAt: T0 }));
    applyPage(store, policy, page, { ...context, scanId: 'scan-0' });
    const carol = { email: 'carol@corp.example', display: 'Carol', surface: 'slack', chatUserId: 'U3' };
    store.triage.setAssignee({ source: 'zwa', id: 'B' }, carol, 'slack:U1 alice@corp.example', at(HOUR));
    store.triage.setClosure({ source: 'zwa', id: 'C' }, { status: 'false_positive', reason: null, by: 'x', at: T0 });
    // One read for the page: a read per record would come through here.
    store.triage.get = () => {
      throw new Error('read one record at a time');
    };

    applyPage(store, policy, page, context);

    const stored = (id: string) => store.incidents.get({ source: 'zwa', id });
    expect(stored('A')).toMatchObject({ assignee: null, status: 'open' });
    expect(stored('B')).toMatchObject({ assignee: 'carol@corp.example', status: 'open' });
    expect(stored('C')).toMatchObject({ assignee: null, status: 'false_positive', rawStatus: 'Open in vendor' });
  });

  it('should store nothing of a page whose write fails part way', () => {
    const { store, context } = setup();
    const enqueue = store.outbox.enqueue;
    store.outbox.enqueue = (intent) => {
      if (intent.incidentId === 'B') throw new Error('simulated crash');
      return enqueue(intent);
    };
    const page = [fakeIncident('pan', 'A', { createdAt: T0 }), fakeIncident('pan', 'B', { createdAt: T0 })];

    expect(() => applyPage(store, policy, page, context)).toThrow('simulated crash');

    expect(store.incidents.countBy('pan').total).toBe(0);
    expect(store.outbox.counts().pending).toBe(0);
  });
});
