import { describe, expect, it } from 'vitest';
import { reconcileClaims, resentNoticeText } from '../../../src/delivery/claims.js';
import { silentLogger } from '../../../src/log.js';
import { fakeIncident } from '../../support/fake-source.js';
import { rateLimited, unavailable } from '../../support/recording-surface.js';
import { deliveryFixture, HOUR, T0 } from './fixtures.js';

const MINUTE = 60_000;
const A = fakeIncident('pan', 'A', { createdAt: T0 });
const B = fakeIncident('pan', 'B', { createdAt: T0 });
const keyA = { source: 'pan', incidentId: 'A', surface: 'chat', channel: '#dlp' };

describe('deliverOutbox: a card is claimed while it is sent', () => {
  it('should hold a claim while the post is out and drop it with the posting', async () => {
    const { store, surface, enqueue, deliver } = deliveryFixture();
    const claimsDuringPost: number[] = [];
    surface.onCall = () => claimsDuringPost.push(store.postClaims.count());
    enqueue(A, 'breached');

    await deliver();

    expect(claimsDuringPost).toEqual([1]);
    expect(store.postClaims.count()).toBe(0);
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')?.messageId).toBe('msg-1');
  });

  it('should drop the claim of a post the platform refused or throttled, which created nothing', async () => {
    const { store, surface, enqueue, deliver } = deliveryFixture();
    enqueue(A, 'breached');
    enqueue(B, 'breached');
    surface.failNext(1, { code: 'rejected', message: 'channel_not_found' }, ['post']);
    await deliver();
    expect(store.postClaims.list().map((c) => c.incidentId)).toEqual([]);

    surface.failNext(1, rateLimited(2 * HOUR), ['post']);
    enqueue(fakeIncident('pan', 'C', { createdAt: T0 }), 'breached');
    await deliver();
    expect(store.postClaims.count()).toBe(0);
  });
});

describe('deliverOutbox: a card whose answer was lost', () => {
  it('should adopt the card it finds in the channel instead of posting a second one', async () => {
    const { store, clock, surface, enqueue, deliver, trace } = deliveryFixture({ readBack: true });
    enqueue(A, 'breached');
    surface.loseNext(1);

    expect(await deliver()).toMatchObject({ posted: 0, retrying: 1 });
    expect(store.postClaims.find(keyA)).toMatchObject({ claimedAt: clock.now(), threadId: null });
    clock.advance(MINUTE);
    expect(await deliver()).toMatchObject({ delivered: 1, posted: 0, updated: 1 });

    expect(surface.created.map((c) => c.ref.messageId)).toEqual(['msg-1']);
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')?.messageId).toBe('msg-1');
    expect(store.postClaims.count()).toBe(0);
    expect(surface.lookups).toEqual([
      {
        channel: '#dlp',
        threadId: undefined,
        subject: { source: 'pan', id: 'A' },
        since: new Date(T0.getTime() + 5 * HOUR),
      },
    ]);
    expect(trace()).toEqual(['update:A', 'reply:SLA breached: overdue by 1h 1m.']);
  });

  it('should look for a card sent into a roll-up thread in that thread', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture({ readBack: true, rollupAfter: 0 });
    enqueue(A, 'breached');
    surface.onCall = (call) => {
      if (call.method === 'post' && !call.threadOf) surface.loseNext(1);
    };
    await deliver();
    surface.onCall = null;
    expect(store.postClaims.find(keyA)?.threadId).toBe('msg-1');

    clock.advance(MINUTE);
    await deliver();

    expect(surface.lookups.map((l) => l.threadId)).toEqual(['msg-1']);
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')).toMatchObject({ messageId: 'msg-2', threadId: 'msg-1' });
    expect(surface.created.filter((c) => c.view.subject?.id === 'A')).toHaveLength(1);
  });

  it('should post normally once reading back shows no card, with no notice', async () => {
    const { store, clock, surface, enqueue, deliver, trace } = deliveryFixture({ readBack: true });
    enqueue(A, 'breached');
    surface.failNext(1, unavailable('timed out before sending'), ['post']);
    await deliver();
    expect(store.postClaims.count()).toBe(1);

    clock.advance(MINUTE);
    await deliver();

    expect(trace()).toEqual(['post:A']);
    expect(store.postClaims.count()).toBe(0);
  });

  it('should post again and say so in its thread where the channel cannot be read back', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture();
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();

    clock.advance(MINUTE);
    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1 });

    const [, again] = surface.created;
    expect(surface.created).toHaveLength(2);
    expect(surface.succeeded('reply').map((c) => [c.ref.messageId, c.view.title])).toEqual([
      [again?.ref.messageId, resentNoticeText('pan:A')],
    ]);
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')?.messageId).toBe(again?.ref.messageId);
    expect(store.postClaims.count()).toBe(0);
  });

  it('should keep the claim, and its notice owed, when the post sent again is throttled', async () => {
    const { store, clock, timer, surface, enqueue, deliver } = deliveryFixture();
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();
    clock.advance(MINUTE);
    surface.failNext(1, rateLimited(2 * HOUR), ['post']);
    await deliver();
    expect(store.postClaims.count()).toBe(1);

    clock.advance(3 * HOUR);
    await timer.sleep(3 * HOUR);
    await deliver();

    expect(surface.succeeded('reply').map((c) => c.view.title)).toEqual([resentNoticeText('pan:A')]);
    expect(store.postClaims.count()).toBe(0);
  });

  it('should send nothing while reading the channel back fails, and keep the claim', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture({ readBack: true });
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();
    surface.failLookups(unavailable('conversations.history: Slack could not be reached'));

    clock.advance(MINUTE);
    expect(await deliver()).toMatchObject({ posted: 0, retrying: 1 });

    expect(surface.created).toHaveLength(1);
    expect(store.postClaims.count()).toBe(1);
    expect(store.outbox.due(new Date(8.64e15), 10)[0]?.lastError).toBe(
      'conversations.history: Slack could not be reached',
    );
  });
});

describe('reconcileClaims: at start, before anything is posted', () => {
  it('should adopt the cards a stopped process left in doubt, so later rows update them', async () => {
    const { store, clock, surface, enqueue, deliver, deps, trace } = deliveryFixture({ readBack: true });
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();
    // The next process: the row that posted A waits for its retry; an update for A is due now.
    enqueue({ ...A, assignee: 'ann@corp.example' }, 'updated');

    const tally = await reconcileClaims({ store, clock, logger: silentLogger }, [surface]);
    await deps.queue?.post(surface, '#other', { title: 'x', tone: 'neutral', blocks: [] });
    await deliver();

    expect(tally).toEqual({ inDoubt: 1, adopted: 1, absent: 0, unverifiable: 0, failed: 0 });
    expect(store.postings.find('pan', 'A', 'chat', '#dlp')?.messageId).toBe('msg-1');
    expect(trace().filter((line) => line.endsWith(':A'))).toEqual(['update:A']);
  });

  it('should leave a claim it cannot check for the delivery that sends the card again with a notice', async () => {
    const { store, clock, surface, enqueue, deliver } = deliveryFixture();
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();

    const tally = await reconcileClaims({ store, clock, logger: silentLogger }, [surface]);

    expect(tally).toEqual({ inDoubt: 1, adopted: 0, absent: 0, unverifiable: 1, failed: 0 });
    expect(store.postClaims.count()).toBe(1);
  });

  it('should leave the claims of a surface that is not running', async () => {
    const { store, clock, enqueue, surface, deliver } = deliveryFixture({ readBack: true });
    enqueue(A, 'breached');
    surface.loseNext(1);
    await deliver();

    expect(await reconcileClaims({ store, clock, logger: silentLogger }, [])).toMatchObject({ inDoubt: 0 });
    expect(store.postClaims.count()).toBe(1);
  });
});
