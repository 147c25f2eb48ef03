import { describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../../src/delivery/deliver.js';
import { textView } from '../../../src/views/view.js';
import { fakeIncident } from '../../support/fake-source.js';
import { rateLimited } from '../../support/recording-surface.js';
import { deliveryFixture, FAR_FUTURE, HOUR, T0 } from './fixtures.js';

const SECOND = 1_000;

describe('deliverOutbox: one message per incident and channel', () => {
  it('should keep one message per incident and channel across many runs and rescans', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture({
      routes: (chat) => [
        { surface: chat, channel: '#dlp' },
        { surface: chat, channel: '#soc' },
      ],
    });
    const A = fakeIncident('pan', 'A', { createdAt: T0 });
    const B = fakeIncident('pan', 'B', { createdAt: T0 });
    enqueue(A, 'due_soon');
    enqueue(B, 'breached');
    await deliver();
    const first = store.postings.listForIncident('pan', 'A').map((p) => p.messageId);

    const later: [typeof A, Parameters<typeof enqueue>[1]][] = [
      [A, 'breached'],
      [{ ...A, assignee: 'ann@corp.example' }, 'updated'],
      [B, 'escalated'],
      [{ ...B, status: 'resolved', rawStatus: 'Resolved' }, 'closed'],
      // A rescan that somehow queues a first announcement again still only updates.
      [A, 'breached'],
    ];
    for (const [incident, kind] of later) {
      clock.advance(HOUR);
      enqueue(incident, kind);
      await deliver();
    }

    expect(surface.succeeded('post').map((c) => c.channel)).toEqual(['#dlp', '#soc', '#dlp', '#soc']);
    expect(surface.succeeded('update')).toHaveLength(10);
    expect(surface.succeeded('reply')).toHaveLength(10);
    expect(store.postings.listForIncident('pan', 'A').map((p) => p.messageId)).toEqual(first);
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 7, dead: 0 });
  });

  it('should post a new incident once and update it for a later row of the same run', async () => {
    const { trace, enqueue, deliver } = deliveryFixture();
    const A = fakeIncident('pan', 'A', { createdAt: T0 });
    enqueue(A, 'updated');
    enqueue(A, 'breached');
    enqueue(A, 'escalated');

    expect(await deliver()).toMatchObject({ delivered: 3, posted: 1, updated: 1 });
    expect(trace()).toEqual([
      'post:A',
      'update:A',
      'reply:Escalated: more than twice the SLA window has passed (overdue by 1h).',
    ]);
  });

  it('should merge a run of updates to one card into one update with every thread reply', async () => {
    const { trace, surface, enqueue, deliver, store } = deliveryFixture();
    const A = fakeIncident('pan', 'A', { createdAt: T0 });
    enqueue(A, 'breached');
    await deliver();
    enqueue({ ...A, assignee: 'ann@corp.example' }, 'updated', 'Assigned to Ann by Bob');
    enqueue({ ...A, assignee: 'ann@corp.example' }, 'updated', 'Note added by Ann');
    enqueue({ ...A, status: 'resolved', rawStatus: 'Resolved' }, 'closed');

    expect(await deliver()).toMatchObject({ delivered: 3, updated: 3 });
    expect(trace()).toEqual([
      'post:A',
      'update:A',
      'reply:Assigned to Ann by Bob',
      'reply:Note added by Ann',
      'reply:No longer awaiting triage: resolved in Fake DLP.',
    ]);
    expect(store.outbox.counts().delivered).toBe(4);
    expect(surface.succeeded('update')[0]?.view.title).toBe('High DLP incident pan:A: resolved');
  });
});

describe('deliverOutbox: rate limits and priority', () => {
  it('should not call a paused channel before Retry-After has passed, and deliver everything after it', async () => {
    const { surface, enqueue, deliver } = deliveryFixture();
    for (const id of ['A', 'B', 'C']) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    surface.failNext(1, rateLimited(20 * SECOND));

    expect(await deliver()).toMatchObject({ delivered: 3, posted: 3, rateLimited: 1 });
    expect(surface.calls.map((c) => [c.ok, c.at])).toEqual([
      [false, 0],
      [true, 20 * SECOND],
      [true, 21 * SECOND],
      [true, 22 * SECOND],
    ]);
  });

  it('should hand the whole channel back to the outbox when Retry-After is too long to wait', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture();
    for (const id of ['A', 'B', 'C']) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    surface.failNext(1, rateLimited(5 * 60 * SECOND));

    expect(await deliver()).toMatchObject({ delivered: 0, retrying: 3, rateLimited: 1 });
    expect(surface.calls).toHaveLength(1);
    const retryAt = clock.now().getTime() + 5 * 60 * SECOND;
    expect(store.outbox.due(FAR_FUTURE, 10).map((r) => r.nextAttemptAt.getTime())).toEqual([retryAt, retryAt, retryAt]);
  });

  it('should send updates of posted cards ahead of a backlog of new posts', async () => {
    const { trace, enqueue, deliver } = deliveryFixture({ rollupAfter: 100 });
    const Z = fakeIncident('pan', 'Z', { createdAt: T0 });
    enqueue(Z, 'breached');
    await deliver();
    for (let i = 0; i < 10; i += 1) enqueue(fakeIncident('pan', `N${i}`, { createdAt: T0 }), 'breached');
    enqueue({ ...Z, assignee: 'ann@corp.example' }, 'updated');

    await deliver();

    expect(trace().slice(0, 4)).toEqual([
      'post:Z',
      'update:Z',
      'reply:Updated from Fake DLP: status open, assignee ann@corp.example.',
      'post:N0',
    ]);
  });

  it("should let a click's update overtake a delivery backlog in its channel", async () => {
    const { surface, queue, trace, enqueue, deliver } = deliveryFixture({
      rollupAfter: 100,
      postLimit: { perSecond: 1, burst: 3 },
    });
    for (let i = 0; i < 30; i += 1) enqueue(fakeIncident('pan', `N${i}`, { createdAt: T0 }), 'breached');
    let click: ReturnType<typeof queue.update> | undefined;
    surface.onCall = (call) => {
      if (call.method !== 'post' || !call.view.title.includes('pan:N4,') || !call.ok) return;
      const ref = { surface: 'chat', channel: '#dlp', messageId: 'msg-1' };
      click = queue.update(surface, ref, textView('Assigned to Ann', 'Assigned to Ann'), {
        reply: textView('Assigned to Ann by Bob', 'Assigned to Ann by Bob'),
        urgent: true,
      });
    };

    await deliver();

    expect((await click)?.ok).toBe(true);
    expect(trace().slice(4, 8)).toEqual([
      'post:N4',
      'update:Assigned to Ann',
      'reply:Assigned to Ann by Bob',
      'post:N5',
    ]);
    expect(surface.succeeded('post')).toHaveLength(30);
  });
  it('should let a run started by a click overlap a running backlog: no row twice, no second card', async () => {
    const { store, surface, trace, enqueue, deliver, deps } = deliveryFixture({
      rollupAfter: 100,
      postLimit: { perSecond: 1, burst: 3 },
    });
    const Z = fakeIncident('pan', 'Z', { createdAt: T0 });
    enqueue(Z, 'breached');
    await deliver();
    for (let i = 0; i < 10; i += 1) enqueue(fakeIncident('pan', `N${i}`, { createdAt: T0 }), 'breached');
    let clickRun: ReturnType<typeof deliverOutbox> | undefined;
    surface.onCall = (call) => {
      if (clickRun || call.method !== 'post' || !call.view.title.includes('pan:N2,') || !call.ok) return;
      enqueue({ ...Z, assignee: 'ann@corp.example' }, 'updated', 'Assigned to Ann by Bob');
      // N7's card is still waiting in the backlog: its escalation must update that card once it is posted.
      enqueue(fakeIncident('pan', 'N7', { createdAt: T0 }), 'escalated', 'Escalated by Bob');
      clickRun = deliverOutbox({ ...deps, urgent: true });
    };

    const backlog = await deliver();
    const click = await clickRun;

    expect(backlog).toMatchObject({ delivered: 10, posted: 10 });
    expect(click).toMatchObject({ delivered: 2, posted: 0, updated: 2 });
    const calls = trace();
    expect(calls.slice(3, 6)).toEqual(['post:N2', 'update:Z', 'reply:Assigned to Ann by Bob']);
    expect(calls.filter((c) => c.startsWith('post:'))).toHaveLength(11);
    expect(calls.indexOf('reply:Escalated by Bob')).toBeGreaterThan(calls.indexOf('post:N7'));
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 13, dead: 0 });
  });
  it("should put a click run's update ahead of a rescan's bulk updates", async () => {
    const { surface, trace, enqueue, deliver, deps } = deliveryFixture({ postLimit: { perSecond: 1, burst: 3 } });
    const ids = ['B0', 'B1', 'B2', 'B3', 'B4', 'Z'];
    for (const id of ids) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    await deliver();
    for (const id of ids.slice(0, 5))
      enqueue(fakeIncident('pan', id, { createdAt: T0, assignee: 'x@corp.example' }), 'updated');
    let clickRun: ReturnType<typeof deliverOutbox> | undefined;
    surface.onCall = (call) => {
      if (clickRun || call.method !== 'update' || !call.view.title.includes('pan:B1,')) return;
      enqueue(fakeIncident('pan', 'Z', { createdAt: T0, assignee: 'ann@corp.example' }), 'updated', 'Taken by Ann');
      clickRun = deliverOutbox({ ...deps, urgent: true });
    };

    await deliver();
    await clickRun;

    const updates = trace().filter((c) => c.startsWith('update:') || c === 'reply:Taken by Ann');
    expect(updates).toEqual([
      'update:B0',
      'update:B1',
      'update:Z',
      'reply:Taken by Ann',
      'update:B2',
      'update:B3',
      'update:B4',
    ]);
  });
});
