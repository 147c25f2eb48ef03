import { afterEach, describe, expect, it } from 'vitest';
import { type DeliveryDeps, type DeliverySummary, deliverOutbox, type Target } from '../../../src/delivery/deliver.js';
import { consoleRoutes, DEFAULT_CHANNEL } from '../../../src/delivery/routes.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface, rateLimited, unavailable } from '../../support/recording-surface.js';
import { intentQueue } from './fixtures.js';

// A high incident created at T0 is breached from +4 h; deliveries start at +5 h on a clock only the test moves.
const T0 = new Date('2026-03-02T08:00:00Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(T0.getTime() + ms);
const FAR_FUTURE = new Date(8.64e15);

const policy = createSlaPolicy(SlaConfig.parse({}), []);
const summaryOf = (counts: Partial<DeliverySummary>): DeliverySummary => ({
  delivered: 0,
  posted: 0,
  threaded: 0,
  rollups: 0,
  updated: 0,
  directUpdated: 0,
  retrying: 0,
  dead: 0,
  rateLimited: 0,
  ...counts,
});
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup(options: { routes?: (surface: ReturnType<typeof createRecordingSurface>) => Target[] } = {}) {
  const store = openStore(':memory:');
  stores.push(store);
  const clock = fixedClock(at(5 * HOUR));
  const surface = createRecordingSurface('chat');
  const deps: DeliveryDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock,
    logger: silentLogger,
    sourceInfo: (id) => (id === 'pan' ? { displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES } : null),
    routes: () => options.routes?.(surface) ?? [{ surface, channel: '#dlp' }],
  };
  const queue = intentQueue(store, clock);
  const pending = () => store.outbox.due(FAR_FUTURE, 100);
  return { store, clock, surface, deps, queue, pending, deliver: () => deliverOutbox(deps) };
}

const A = fakeIncident('pan', 'A', { createdAt: T0 });
const B = fakeIncident('pan', 'B', { createdAt: T0 });

describe('deliverOutbox: one message per incident', () => {
  it('should post the card of a breached intent once, record the posting and mark the row delivered', async () => {
    const { store, surface, queue, deliver } = setup();
    queue(A, 'breached');

    const summary = await deliver();
    const again = await deliver();

    expect(summary).toEqual(summaryOf({ delivered: 1, posted: 1, updated: 0, retrying: 0, dead: 0 }));
    expect(again).toEqual(summaryOf({ delivered: 0, posted: 0, updated: 0, retrying: 0, dead: 0 }));
    expect(surface.calls.map((c) => c.method)).toEqual(['post']);
    const [post] = surface.succeeded('post');
    expect(post?.channel).toBe('#dlp');
    expect(post?.view.title).toBe('SLA breached: high DLP incident pan:A, overdue by 1h');
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')).toMatchObject({
      messageId: 'msg-1',
      postedAt: at(5 * HOUR),
    });
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 1, dead: 0 });
  });

  it('should update the posted message and add one thread reply for a later intent, never posting twice', async () => {
    const { store, clock, surface, queue, deliver } = setup();
    queue(A, 'breached');
    await deliver();

    clock.set(at(9 * HOUR));
    queue(A, 'escalated');
    const summary = await deliver();

    expect(summary).toEqual(summaryOf({ delivered: 1, posted: 0, updated: 1, retrying: 0, dead: 0 }));
    expect(surface.calls.map((c) => c.method)).toEqual(['post', 'update', 'reply']);
    const ref = { surface: 'chat', channel: '#dlp', messageId: 'msg-1' };
    const [update] = surface.succeeded('update');
    const [reply] = surface.succeeded('reply');
    expect(update?.ref).toEqual(ref);
    expect(update?.view.title).toBe('SLA escalated: high DLP incident pan:A, overdue by 5h');
    expect(reply?.ref).toEqual(ref);
    expect(reply?.view.title).toBe('Escalated: more than twice the SLA window has passed (overdue by 5h).');
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')).toMatchObject({
      messageId: 'msg-1',
      updatedAt: at(9 * HOUR),
    });
  });

  it('should update the message with the new state for updated and closed intents of a posted incident', async () => {
    const { surface, queue, deliver } = setup();
    queue(A, 'breached');
    await deliver();

    queue({ ...A, assignee: 'carol@corp.example' }, 'updated');
    await deliver();
    queue({ ...A, status: 'resolved', rawStatus: 'Resolved' }, 'closed');
    await deliver();

    expect(surface.calls.map((c) => c.method)).toEqual(['post', 'update', 'reply', 'update', 'reply']);
    const replies = surface.succeeded('reply').map((c) => c.view.title);
    expect(replies).toEqual([
      'Updated from Fake DLP: status open, assignee carol@corp.example.',
      'No longer awaiting triage: resolved in Fake DLP.',
    ]);
    expect(surface.succeeded('update')[1]?.view).toMatchObject({
      tone: 'good',
      title: 'High DLP incident pan:A: resolved',
    });
  });

  it.each(['updated', 'closed'] as const)(
    'should post nothing for %s when the incident was never posted',
    async (kind) => {
      const { store, surface, queue, deliver } = setup();
      queue(A, kind);

      const summary = await deliver();

      expect(surface.calls).toEqual([]);
      expect(summary).toEqual(summaryOf({ delivered: 1, posted: 0, updated: 0, retrying: 0, dead: 0 }));
      expect(store.postings.find('pan', 'A', 'chat', '#dlp')).toBeNull();
      expect(store.outbox.counts().delivered).toBe(1);
    },
  );

  it('should post to every routed target and keep one message per target', async () => {
    const other = createRecordingSurface('other');
    const { store, surface, queue, deliver } = setup({
      routes: (main) => [
        { surface: main, channel: '#dlp' },
        { surface: other, channel: 'C42' },
      ],
    });
    queue(A, 'due_soon');
    await deliver();
    queue(A, 'breached');
    await deliver();

    expect(surface.calls.map((c) => c.method)).toEqual(['post', 'update', 'reply']);
    expect(other.calls.map((c) => c.method)).toEqual(['post', 'update', 'reply']);
    expect(store.postings.listForIncident('pan', 'A').map((p) => [p.surface, p.channel])).toEqual([
      ['chat', '#dlp'],
      ['other', 'C42'],
    ]);
  });

  it('should mark an intent done without calls when its source is no longer configured', async () => {
    const { store, surface, queue, deliver } = setup();
    queue(fakeIncident('old-src', 'X', { createdAt: T0 }), 'breached');

    const summary = await deliver();

    expect(summary).toEqual(summaryOf({ delivered: 1, posted: 0, updated: 0, retrying: 0, dead: 0 }));
    expect(surface.calls).toEqual([]);
    expect(store.outbox.counts().delivered).toBe(1);
  });
});

describe('deliverOutbox: failures', () => {
  it('should schedule a retry after the Retry-After a rate-limited surface gives, and deliver once it is due', async () => {
    const { store, clock, surface, queue, pending, deliver } = setup();
    queue(A, 'breached');
    surface.failNext(1, rateLimited(90 * SECOND));

    const first = await deliver();

    expect(first).toEqual(summaryOf({ retrying: 1, rateLimited: 1 }));
    expect(pending()).toMatchObject([
      {
        incidentId: 'A',
        state: 'pending',
        attempts: 1,
        nextAttemptAt: at(5 * HOUR + 90 * SECOND),
        lastError: 'ratelimited',
      },
    ]);
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')).toBeNull();

    clock.advance(89 * SECOND);
    expect((await deliver()).delivered).toBe(0);
    expect(surface.calls).toHaveLength(1);

    clock.advance(SECOND);
    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1 });
    expect(surface.succeeded('post')).toHaveLength(1);
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 1, dead: 0 });
  });

  it('should back off 30 s, then 1 min, then 2 min when the surface gives no Retry-After', async () => {
    const { clock, surface, queue, pending, deliver } = setup();
    queue(A, 'breached');
    surface.failAlways(unavailable());

    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = clock.now().getTime();
      await deliver();
      const next = pending()[0]?.nextAttemptAt.getTime() ?? Number.NaN;
      delays.push(next - before);
      clock.set(new Date(next));
    }

    expect(delays).toEqual([30 * SECOND, 60 * SECOND, 120 * SECOND]);
  });

  it('should give up after 8 failed attempts and mark the row dead', async () => {
    const { store, clock, surface, queue, pending, deliver } = setup();
    queue(A, 'breached');
    surface.failAlways(unavailable('chat is down'));

    const summaries = [];
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      summaries.push(await deliver());
      const row = pending()[0];
      if (row) clock.set(row.nextAttemptAt);
    }
    clock.advance(24 * HOUR);
    await deliver();

    expect(summaries.map((s) => s.retrying)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect(summaries[7]).toMatchObject({ dead: 1, delivered: 0 });
    expect(surface.calls).toHaveLength(8);
    expect(store.outbox.counts()).toEqual({ pending: 0, delivered: 0, dead: 1 });
    const dead = store.db.prepare('SELECT attempts, last_error FROM outbox').get();
    expect(dead).toEqual({ attempts: 8, last_error: 'chat is down' });
  });

  it('should keep delivering other incidents when one fails', async () => {
    const { store, surface, queue, pending, deliver } = setup();
    queue(A, 'breached');
    queue(B, 'breached');
    surface.failNext(1, unavailable());

    const summary = await deliver();

    expect(summary).toEqual(summaryOf({ delivered: 1, posted: 1, updated: 0, retrying: 1, dead: 0 }));
    expect(pending().map((r) => r.incidentId)).toEqual(['A']);
    expect(store.postings.find('pan', 'B', 'chat', '#dlp')).not.toBeNull();
  });

  it('should retry an update whose thread reply failed, without posting a second message', async () => {
    const { clock, surface, queue, pending, deliver } = setup();
    queue(A, 'breached');
    await deliver();
    queue(A, 'escalated');
    surface.failNext(1, unavailable(), ['reply']);

    expect((await deliver()).retrying).toBe(1);
    clock.set(pending()[0]?.nextAttemptAt ?? FAR_FUTURE);
    expect((await deliver()).delivered).toBe(1);

    expect(surface.succeeded('post')).toHaveLength(1);
    expect(surface.succeeded('reply')).toHaveLength(1);
  });
});

describe('consoleRoutes', () => {
  it('should route every incident to each surface in the default channel', () => {
    const a = createRecordingSurface('a');
    const b = createRecordingSurface('b');
    const stored = {
      ...A,
      contentHash: '',
      slaState: null,
      slaDeadline: null,
      firstSeenAt: T0,
      lastSeenAt: T0,
      lastSeenScan: 's',
    };

    expect(consoleRoutes([a, b])(stored)).toEqual([
      { surface: a, channel: DEFAULT_CHANNEL },
      { surface: b, channel: DEFAULT_CHANNEL },
    ]);
  });
});
