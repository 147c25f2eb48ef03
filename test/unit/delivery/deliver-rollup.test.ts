import { describe, expect, it } from 'vitest';
import type { Severity } from '../../../src/domain/incident.js';
import { fakeIncident } from '../../support/fake-source.js';
import { type SurfaceCall, unavailable } from '../../support/recording-surface.js';
import { deliveryFixture, idOf, T0 } from './fixtures.js';

const SEVERITY_CYCLE: Severity[] = ['critical', 'high', 'high', 'medium'];

const isRollup = (c: SurfaceCall) => c.method === 'post' && c.view.title.includes('listed in this thread');

describe('deliverOutbox: a burst of new breaches in one channel', () => {
  it.each([
    // The queue's pace matches the platform's; after its first burst the limit holds it at 1/s.
    ['its default pace', undefined, 1_100_000],
    // Whole-second Retry-Afters cost some idle time when the queue keeps overrunning the limit.
    ['an optimistic pace that keeps hitting the limit', { perSecond: 2, burst: 6 }, 1_300_000],
  ])(
    'should deliver 1,000 against ~1 post/s with bursts of 3 at %s: none lost, every 429 waited out, 20 cards and a roll-up',
    async (_name, queueRate, maxVirtualMs) => {
      const { store, surface, timer, enqueue, deliver } = deliveryFixture({
        postLimit: { perSecond: 1, burst: 3 },
        ...(queueRate ? { queueRate } : {}),
      });
      const ids = Array.from({ length: 1_000 }, (_, i) => `N${i}`);
      for (const [i, id] of ids.entries()) {
        enqueue(fakeIncident('pan', id, { createdAt: T0, severity: SEVERITY_CYCLE[i % 4] }), 'breached');
      }

      const summary = await deliver();

      const limited = surface.calls.filter((c) => c.error?.code === 'rate_limited');
      expect(limited.length).toBeGreaterThan(0);
      expect(summary).toEqual({
        delivered: 1_000,
        posted: 1_000,
        threaded: 980,
        rollups: 1,
        updated: 0,
        directUpdated: 0,
        retrying: 0,
        dead: 0,
        rateLimited: limited.length,
      });
      // Every 429 was honoured: the channel's next call came no sooner than the Retry-After said.
      surface.calls.forEach((call, i) => {
        const next = surface.calls[i + 1];
        if (call.error?.code !== 'rate_limited' || !next) return;
        expect(next.at ?? 0, `call ${i + 1}`).toBeGreaterThanOrEqual((call.at ?? 0) + (call.error.retryAfterMs ?? 0));
      });
      expect(surface.calls.every((c) => c.ok || c.error?.code === 'rate_limited')).toBe(true);

      const posts = surface.succeeded('post');
      const parents = posts.filter((c) => !c.threadOf);
      const rollup = parents.at(-1);
      expect(parents.slice(0, 20).map((c) => idOf(c.view.title))).toEqual(ids.slice(0, 20));
      expect(rollup && isRollup(rollup)).toBe(true);
      expect(rollup?.view.title).toBe('980 more DLP incidents breached or due soon — listed in this thread');
      expect(rollup?.view.blocks).toContainEqual({ type: 'context', text: '245 critical · 490 high · 245 medium' });
      const threaded = posts.filter((c) => c.threadOf);
      expect(threaded.map((c) => idOf(c.view.title))).toEqual(ids.slice(20));
      const rollupId = rollup ? `msg-${posts.indexOf(rollup) + 1}` : 'no roll-up';
      expect(new Set(threaded.map((c) => c.threadOf?.messageId))).toEqual(new Set([rollupId]));

      const count = (sql: string, ...args: string[]) => (store.db.prepare(sql).get(...args) as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM postings')).toBe(1_000);
      expect(count('SELECT count(*) AS n FROM postings WHERE thread_id = ?', rollupId)).toBe(980);
      expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 1_000, dead: 0 });
      // Paced near the platform's rate: 1,001 posts take at least ~1,000 s, all of it waited on the virtual timer
      // (it moves only when the queue sleeps on it; one real wait per post would overrun the test's timeout).
      expect(timer.now()).toBeGreaterThanOrEqual(997_000);
      expect(timer.now()).toBeLessThan(maxVirtualMs);

      const callsBefore = surface.calls.length;
      expect(await deliver()).toMatchObject({ delivered: 0, posted: 0, rollups: 0 });
      expect(surface.calls).toHaveLength(callsBefore);
    },
  );
});

describe('deliverOutbox: roll-up', () => {
  it('should post the first cards, then one roll-up with the rest in its thread, and update threaded cards there', async () => {
    const { store, trace, surface, enqueue, deliver } = deliveryFixture({ rollupAfter: 2 });
    const severities: Severity[] = ['high', 'critical', 'high', 'low', 'high'];
    for (const [i, severity] of severities.entries()) {
      enqueue(fakeIncident('pan', `R${i}`, { createdAt: T0, severity }), 'breached');
    }

    expect(await deliver()).toMatchObject({ delivered: 5, posted: 5, threaded: 3, rollups: 1 });
    expect(trace()).toEqual([
      'post:R0',
      'post:R1',
      'post:3 more DLP incidents breached or due soon — listed in this thread',
      'thread:R2',
      'thread:R3',
      'thread:R4',
    ]);
    expect(surface.calls.find(isRollup)?.view.blocks[1]).toEqual({ type: 'context', text: '2 high · 1 low' });
    expect(store.postings.find('pan', 'R3', 'chat', '#dlp')).toMatchObject({ messageId: 'msg-5', threadId: 'msg-3' });
    expect(store.postings.find('pan', 'R0', 'chat', '#dlp')).toMatchObject({ messageId: 'msg-1', threadId: null });

    enqueue(fakeIncident('pan', 'R3', { createdAt: T0, severity: 'low', assignee: 'ann@corp.example' }), 'updated');
    await deliver();

    const threadedRef = { surface: 'chat', channel: '#dlp', messageId: 'msg-5', threadId: 'msg-3' };
    expect(surface.succeeded('update').map((c) => c.ref)).toEqual([threadedRef]);
    expect(surface.succeeded('reply').map((c) => c.ref)).toEqual([threadedRef]);
  });

  it('should count again in the next run and keep channels apart', async () => {
    const { trace, enqueue, deliver, surface } = deliveryFixture({
      rollupAfter: 2,
      routes: (chat, incident) =>
        incident.id.startsWith('Y') ? [{ surface: chat, channel: '#y' }] : [{ surface: chat, channel: '#x' }],
    });
    for (const id of ['X1', 'Y1', 'X2', 'Y2', 'X3']) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    await deliver();
    for (const id of ['X4', 'X5']) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    await deliver();

    expect(trace()).toEqual([
      'post:X1',
      'post:Y1',
      'post:X2',
      'post:Y2',
      'post:1 more DLP incident breached or due soon — listed in this thread',
      'thread:X3',
      'post:X4',
      'post:X5',
    ]);
    expect(surface.calls.filter(isRollup).map((c) => c.method === 'post' && c.channel)).toEqual(['#x']);
  });

  it('should retry the threaded cards, not the channel cards, when the roll-up cannot be posted', async () => {
    const { store, surface, enqueue, deliver } = deliveryFixture({ rollupAfter: 1 });
    for (const id of ['A', 'B', 'C']) enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    surface.onCall = (call) => {
      if (call.method === 'post' && !isRollup(call)) surface.failNext(1, unavailable('no roll-up'));
    };

    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1, rollups: 0, retrying: 2 });
    expect(store.outbox.due(new Date(8.64e15), 10).map((r) => [r.incidentId, r.lastError])).toEqual([
      ['B', 'no roll-up'],
      ['C', 'no roll-up'],
    ]);
    expect(surface.calls.filter((c) => c.method === 'post').map((c) => c.ok)).toEqual([true, false]);
  });
});
