import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxIntent, openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes, tempDir } from './fixtures.js';

/** Two connections to one file stand for two processes (serve, and a cron `dlp-bot scan` or a second serve). */
describe('outbox leases', () => {
  let tmp: ReturnType<typeof tempDir>;
  let first: Store;
  let second: Store;
  const intent = (n: number): OutboxIntent => ({
    source: 'pan-prod',
    incidentId: `INC-${n}`,
    kind: 'breached',
    dedupeKey: `pan-prod:INC-${n}:breached`,
    createdAt: minutes(0),
  });
  const leaseOf = (id: number) =>
    first.db.prepare('SELECT lease_holder AS holder, lease_expires_at AS until FROM outbox WHERE id = ?').get(id);

  beforeEach(() => {
    tmp = tempDir();
    const path = join(tmp.dir, 'dlp.sqlite');
    first = openStore(path);
    second = openStore(path);
    for (const n of [1, 2, 3]) {
      first.incidents.upsert(incident({ id: `INC-${n}` }), meta());
      first.outbox.enqueue(intent(n));
    }
  });
  afterEach(() => {
    first.close();
    second.close();
    tmp.cleanup();
  });

  it('should never hand one row to two processes while its lease runs', () => {
    const a = first.outbox.lease('serve-a', minutes(1), minutes(31), 2);
    const b = second.outbox.lease('scan-b', minutes(1), minutes(31), 10);
    expect(a.map((row) => row.incidentId)).toEqual(['INC-1', 'INC-2']);
    expect(b.map((row) => row.incidentId)).toEqual(['INC-3']);
    expect(second.outbox.lease('scan-b', minutes(2), minutes(32), 10)).toEqual([]);
    expect(leaseOf(1)).toEqual({ holder: 'serve-a', until: minutes(31).getTime() });
  });

  it('should free a lease when the row is settled, and let another process take a lease that ran out', () => {
    const [one, two] = first.outbox.lease('serve-a', minutes(1), minutes(31), 2);
    if (!one || !two) throw new Error('expected two leased rows');
    first.outbox.markRetry(one.id, 'unavailable', minutes(2));
    expect(leaseOf(one.id)).toEqual({ holder: null, until: null });
    expect(second.outbox.lease('scan-b', minutes(30), minutes(60), 10).map((row) => row.id)).toEqual([one.id, 3]);
    // serve-a went silent past its lease: the row is free again.
    expect(second.outbox.lease('scan-b', minutes(31), minutes(61), 10).map((row) => row.id)).toEqual([two.id]);
  });

  it('should hand rows back unsent with their attempts and next attempt time unchanged', () => {
    const leased = first.outbox.lease('serve-a', minutes(1), minutes(31), 10);
    first.outbox.markRetry(1, 'unavailable', minutes(2));
    const before = first.db.prepare('SELECT id, attempts, next_attempt_at FROM outbox ORDER BY id').all();
    expect(second.outbox.release('scan-b', [2, 3])).toBe(0);
    expect(
      first.outbox.release(
        'serve-a',
        leased.map((row) => row.id),
      ),
    ).toBe(2);
    expect(first.db.prepare('SELECT id, attempts, next_attempt_at FROM outbox ORDER BY id').all()).toEqual(before);
    expect(second.outbox.lease('scan-b', minutes(2), minutes(32), 10).map((row) => row.id)).toEqual([1, 2, 3]);
  });

  it('should extend only the leases of the holder still sending', () => {
    first.outbox.lease('serve-a', minutes(1), minutes(31), 1);
    second.outbox.lease('scan-b', minutes(1), minutes(31), 1);
    expect(first.outbox.renewLeases('serve-a', minutes(40))).toBe(1);
    expect(leaseOf(1)).toEqual({ holder: 'serve-a', until: minutes(40).getTime() });
    expect(leaseOf(2)).toEqual({ holder: 'scan-b', until: minutes(31).getTime() });
  });
});
