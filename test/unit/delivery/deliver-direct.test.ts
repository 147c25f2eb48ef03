import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryDeps, deliverOutbox } from '../../../src/delivery/deliver.js';
import { MAX_DM_UPDATE_ATTEMPTS } from '../../../src/delivery/direct-updates.js';
import { err } from '../../../src/domain/result.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatResult, ChatSurface, MessageRef } from '../../../src/ports/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface } from '../../support/recording-surface.js';
import { intentQueue } from './fixtures.js';

// A high incident created at T0 is due at +4 h; the reminder DM went out at +3 h, delivery runs at +3.5 h.
const T0 = new Date('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;
const policy = createSlaPolicy(SlaConfig.parse({}), []);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const A = fakeIncident('pan', 'A', { createdAt: T0 });
const DM: MessageRef = { surface: 'chat', channel: 'dm:U1', messageId: 'dm-1' };
type DmFailure = Extract<ChatResult<void>, { ok: false }>['error'];

/**
 * A recording surface whose DM updates fail with `dmFailure` (channel updates still go through): all of them, or
 * only the next `times` once `failDms(times)` is called. `dmTries()` counts every DM update asked for.
 */
function setup(dmFailure: DmFailure = { code: 'unavailable', message: 'down' }, failing = false) {
  let failuresLeft = failing ? Number.POSITIVE_INFINITY : 0;
  let dmTries = 0;
  const store = openStore(':memory:');
  stores.push(store);
  const clock = fixedClock(new Date(T0.getTime() + 3.5 * HOUR));
  const recording = createRecordingSurface('chat');
  const surface: ChatSurface = {
    ...recording,
    update: (ref: MessageRef, view: View) => {
      if (ref.channel === DM.channel) dmTries += 1;
      if (ref.channel !== DM.channel || failuresLeft <= 0) return recording.update(ref, view);
      failuresLeft -= 1;
      return Promise.resolve(err(dmFailure));
    },
  };
  const deps: DeliveryDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock,
    logger: silentLogger,
    sourceInfo: (id) => (id === 'pan' ? { displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES } : null),
    routes: () => [{ surface, channel: '#dlp' }],
    surfaces: [surface],
  };
  const queue = intentQueue(store, clock);
  queue(A, 'due_soon');
  store.directMessages.record(A, 'reminder', DM, new Date(T0.getTime() + 3 * HOUR));
  return {
    store,
    clock,
    recording,
    queue,
    deliver: () => deliverOutbox(deps),
    dmTries: () => dmTries,
    failDms: (times: number) => {
      failuresLeft = times;
    },
  };
}

const buttonsOf = (view: View | undefined) =>
  (view?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.actionId) : []));

describe('deliverOutbox: reminder and escalation DMs follow the card', () => {
  it('should update the DM in place as a reminder, closed and without buttons once closed, with no thread reply', async () => {
    const { recording, queue, deliver } = setup();
    const first = await deliver();
    expect(first).toMatchObject({ delivered: 1, posted: 1, directUpdated: 1 });
    const [open] = recording.succeeded('update').filter((c) => c.ref.channel === DM.channel);
    expect(open?.view.title).toBe('Reminder: pan:A breaches its SLA in 30m');
    expect(buttonsOf(open?.view)).toEqual(expect.arrayContaining(['reminders.snooze_1h', 'incident.false_positive']));

    queue({ ...A, status: 'false_positive' }, 'closed');
    const second = await deliver();
    expect(second).toMatchObject({ delivered: 1, updated: 1, directUpdated: 1 });
    const closed = recording.succeeded('update').filter((c) => c.ref.channel === DM.channel)[1];
    expect(closed?.ref).toEqual(DM);
    expect(closed?.view.title).toBe('Reminder: pan:A is closed (false positive)');
    expect(buttonsOf(closed?.view)).toEqual([]);
    expect(recording.calls.filter((c) => c.method === 'reply').map((c) => c.ref.channel)).toEqual(['#dlp']);
  });

  it('should keep the channel row delivered and the DM on record when the DM update fails', async () => {
    const { store, recording, deliver } = setup(undefined, true);
    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1, directUpdated: 0, retrying: 0 });
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 1, dead: 0 });
    expect(recording.succeeded('post')).toHaveLength(1);
    expect(store.directMessages.listForIncident(A)).toHaveLength(1);
  });

  it('should retry a DM update that failed during the close at the next run, until the DM shows the closed heading', async () => {
    const { store, recording, queue, deliver, failDms } = setup();
    // The first run's DM update goes through; the close's fails, once.
    expect(await deliver()).toMatchObject({ delivered: 1, directUpdated: 1 });
    failDms(1);
    queue({ ...A, status: 'false_positive' }, 'closed');
    expect(await deliver()).toMatchObject({ delivered: 1, updated: 1, directUpdated: 0 });
    const [stale] = store.directMessages.listForIncident(A);
    expect(stale).toMatchObject({ retryAttempts: 1, retryAt: expect.any(Date) });

    // Nothing is due in the outbox any more: the next run redraws the DM from the store alone.
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 2, dead: 0 });
    expect(await deliver()).toMatchObject({ delivered: 0, updated: 0, directUpdated: 1 });
    const last = recording.succeeded('update').at(-1);
    expect(last?.ref).toEqual(DM);
    expect(last?.view.title).toBe('Reminder: pan:A is closed (false positive)');
    expect(buttonsOf(last?.view)).toEqual([]);
    expect(store.directMessages.listForIncident(A)).toEqual([
      expect.objectContaining({ retryAttempts: 0, retryAt: null }),
    ]);
    // Up to date: a later run leaves it alone.
    const updates = recording.calls.filter((c) => c.method === 'update').length;
    expect(await deliver()).toMatchObject({ directUpdated: 0 });
    expect(recording.calls.filter((c) => c.method === 'update')).toHaveLength(updates);
  });

  it('should back off between DM retries and drop the record after the last one', async () => {
    const { store, clock, deliver, dmTries } = setup(undefined, true);
    await deliver();
    expect(dmTries()).toBe(1);
    // First retry at the very next run; the second waits for its backoff.
    await deliver();
    expect(dmTries()).toBe(2);
    await deliver();
    expect(dmTries()).toBe(2);
    for (let attempt = 3; attempt <= MAX_DM_UPDATE_ATTEMPTS; attempt += 1) {
      clock.advance(HOUR);
      await deliver();
      expect(dmTries()).toBe(attempt);
    }
    expect(store.directMessages.listForIncident(A)).toEqual([]);
    clock.advance(HOUR);
    await deliver();
    expect(dmTries()).toBe(MAX_DM_UPDATE_ATTEMPTS);
  });

  it('should forget a DM the platform no longer has', async () => {
    const { store, queue, deliver } = setup({ code: 'not_found', message: 'message_not_found' }, true);
    expect(await deliver()).toMatchObject({ delivered: 1, directUpdated: 0 });
    expect(store.directMessages.listForIncident(A)).toEqual([]);
    queue({ ...A, status: 'false_positive' }, 'closed');
    expect(await deliver()).toMatchObject({ delivered: 1, updated: 1, directUpdated: 0 });
  });
});
