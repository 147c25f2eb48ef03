import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LockHolder, openStore, type Store } from '../../../src/store/index.js';
import { incident, meta, minutes, tempDir } from './fixtures.js';

describe('instance lock repository', () => {
  let tmp: ReturnType<typeof tempDir>;
  let first: Store;
  let second: Store;
  const holder = (name: string, at = minutes(0)): LockHolder => ({
    holder: name,
    command: 'serve',
    pid: 4242,
    host: 'bot-1',
    startedAt: at,
    heartbeatAt: at,
  });
  const never = () => false;

  beforeEach(() => {
    tmp = tempDir();
    const path = join(tmp.dir, 'dlp.sqlite');
    first = openStore(path);
    second = openStore(path);
  });
  afterEach(() => {
    first.close();
    second.close();
    tmp.cleanup();
  });

  it('should give the lock to the first process and tell the second who holds it', () => {
    expect(first.instanceLock.acquire(holder('a'), never)).toEqual({ acquired: true, previous: null });
    expect(second.instanceLock.acquire(holder('b', minutes(1)), never)).toEqual({
      acquired: false,
      holder: holder('a'),
    });
    expect(second.instanceLock.current()).toEqual(holder('a'));
  });

  it('should take over a stale lock in one step, releasing the outbox leases the dead holder left', () => {
    first.incidents.upsert(incident(), meta());
    first.outbox.enqueue({
      source: 'pan-prod',
      incidentId: 'INC-1',
      kind: 'breached',
      dedupeKey: 'k',
      createdAt: minutes(0),
    });
    first.instanceLock.acquire(holder('a'), never);
    first.outbox.lease('a', minutes(0), minutes(60), 10);
    const seen: LockHolder[] = [];
    const result = second.instanceLock.acquire(holder('b', minutes(5)), (current) => {
      seen.push(current);
      return true;
    });
    expect(result).toEqual({ acquired: true, previous: holder('a') });
    expect(seen).toEqual([holder('a')]);
    expect(second.instanceLock.current()?.holder).toBe('b');
    expect(second.outbox.lease('b', minutes(5), minutes(65), 10)).toHaveLength(1);
    // The old holder's heartbeat now tells it the lock is gone.
    expect(first.instanceLock.heartbeat('a', minutes(6))).toBe(false);
  });

  it('should refresh only its own heartbeat and release only its own lock', () => {
    first.instanceLock.acquire(holder('a'), never);
    expect(first.instanceLock.heartbeat('a', minutes(3))).toBe(true);
    expect(first.instanceLock.current()?.heartbeatAt).toEqual(minutes(3));
    expect(second.instanceLock.release('b')).toBe(false);
    expect(first.instanceLock.release('a')).toBe(true);
    expect(second.instanceLock.acquire(holder('b'), never)).toEqual({ acquired: true, previous: null });
  });

  it('should let the holder take its own lock again without asking whether it is stale', () => {
    first.instanceLock.acquire(holder('a'), never);
    const asked = () => {
      throw new Error('a holder is never stale to itself');
    };
    expect(first.instanceLock.acquire(holder('a', minutes(2)), asked)).toEqual({ acquired: true, previous: null });
  });

  it("should mark as interrupted only the running jobs of a holder that is gone, never the live holder's", () => {
    const live = first.jobRuns.start('scan:pan', minutes(0), 'start', minutes(0), 'b');
    const dead = first.jobRuns.start('scan:sym', minutes(0), 'start', minutes(0), 'a');
    const old = first.jobRuns.start('digest:route-1', minutes(0), 'start', minutes(0));
    expect(second.jobRuns.markInterrupted(minutes(1), 'b')).toBe(2);
    const outcome = (job: string) => second.jobRuns.last(job)?.outcome;
    expect([live, dead, old].every((id) => id !== null)).toBe(true);
    expect([outcome('scan:pan'), outcome('scan:sym'), outcome('digest:route-1')]).toEqual([
      'running',
      'failed',
      'failed',
    ]);
  });
});
