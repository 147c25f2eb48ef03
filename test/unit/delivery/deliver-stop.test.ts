import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/log.js';
import { fakeIncident } from '../../support/fake-source.js';
import { deliveryFixture, T0 } from './fixtures.js';

const rowsOf = (fixture: ReturnType<typeof deliveryFixture>) =>
  fixture.store.db
    .prepare(
      'SELECT incident_id AS id, state, attempts, next_attempt_at AS next, lease_holder AS lease FROM outbox ORDER BY id',
    )
    .all();

describe('deliverOutbox: stopping', () => {
  it('should hand every row the stop kept from being sent back unchanged, and settle the one that was sent', async () => {
    const fixture = deliveryFixture({ queueRate: { perSecond: 1, burst: 1 } });
    for (const id of ['A', 'B', 'C']) fixture.enqueue(fakeIncident('pan', id, { createdAt: T0 }), 'breached');
    const before = rowsOf(fixture);
    // SIGTERM arrives while the first card is on its way: the queue stops; that card's answer still comes.
    fixture.surface.onCall = () => fixture.queue.close();

    await fixture.deliver();

    expect(fixture.surface.succeeded('post')).toHaveLength(1);
    expect(rowsOf(fixture)).toEqual([
      { id: 'A', state: 'delivered', attempts: 1, next: (before[0] as { next: number }).next, lease: null },
      ...before.slice(1),
    ]);
    expect(before.slice(1)).toEqual([
      { id: 'B', state: 'pending', attempts: 0, next: expect.any(Number), lease: null },
      { id: 'C', state: 'pending', attempts: 0, next: expect.any(Number), lease: null },
    ]);
  });

  it('should keep the card on record when another process recorded one while this post was in flight', async () => {
    const fixture = deliveryFixture();
    const errors: { fields: unknown; message: string }[] = [];
    fixture.deps.logger = {
      error: (fields: unknown, message: string) => errors.push({ fields, message }),
      info: () => {},
    } as unknown as Logger;
    const A = fakeIncident('pan', 'A', { createdAt: T0 });
    fixture.enqueue(A, 'breached');
    fixture.surface.onCall = (call) => {
      if (call.method !== 'post') return;
      // The other process's card for A lands first.
      fixture.store.postings.record({
        source: 'pan',
        incidentId: 'A',
        surface: 'chat',
        channel: '#dlp',
        messageId: 'their-card',
        postedAt: T0,
      });
    };

    await fixture.deliver();

    expect(fixture.store.postings.find('pan', 'A', 'chat', '#dlp')?.messageId).toBe('their-card');
    expect(errors).toEqual([
      {
        fields: expect.objectContaining({ kept: 'their-card', orphan: 'msg-1' }),
        message: 'a card was already on record for this incident in this channel; the second one is left unrecorded',
      },
    ]);
  });
});
