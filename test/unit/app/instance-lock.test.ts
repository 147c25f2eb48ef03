import { afterEach, describe, expect, it } from 'vitest';
import {
  HEARTBEAT_EVERY_MS,
  type InstanceLockOptions,
  STALE_AFTER_MS,
  type Ticker,
  takeInstanceLock,
} from '../../../src/app/instance-lock.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

/** A ticker the test fires by hand: the heartbeat runs when told, never on the wall clock. */
function manualTicker() {
  const beats: { ms: number; fn: () => void; stopped: boolean }[] = [];
  const ticker: Ticker = {
    every(ms, fn) {
      const beat = { ms, fn, stopped: false };
      beats.push(beat);
      return () => {
        beat.stopped = true;
      };
    },
  };
  const fire = () => {
    for (const beat of beats) if (!beat.stopped) beat.fn();
  };
  return { ticker, beats, fire };
}

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup() {
  const store = openStore(':memory:');
  stores.push(store);
  const clock = fixedClock('2026-03-02T08:00:00Z');
  const base = (holder: string, overrides: Partial<InstanceLockOptions> = {}): InstanceLockOptions => ({
    store,
    command: 'serve',
    holder,
    clock,
    logger: silentLogger,
    pid: 100,
    host: 'bot-1',
    isAlive: () => true,
    ticker: manualTicker().ticker,
    ...overrides,
  });
  return { store, clock, base };
}

describe('the instance lock', () => {
  it('should refuse while the holder on this host is alive, and take over once its process is gone', () => {
    const { base } = setup();
    const first = takeInstanceLock(base('a'));
    expect(first.held).toBe(true);

    const refused = takeInstanceLock(base('b', { pid: 200 }));
    expect(refused).toMatchObject({ held: false, holder: { holder: 'a', pid: 100, host: 'bot-1', command: 'serve' } });

    const took = takeInstanceLock(base('b', { pid: 200, isAlive: (pid) => pid !== 100 }));
    expect(took).toMatchObject({ held: true, tookOver: { holder: 'a', pid: 100 } });
  });

  it("should not judge another host's pid, only its heartbeat", () => {
    const { base, clock } = setup();
    takeInstanceLock(base('a', { host: 'bot-2' }));
    const dead = () => false;

    expect(takeInstanceLock(base('b', { isAlive: dead })).held).toBe(false);
    clock.advance(STALE_AFTER_MS);
    expect(takeInstanceLock(base('b', { isAlive: dead })).held).toBe(false);
    clock.advance(1);
    expect(takeInstanceLock(base('b', { isAlive: dead }))).toMatchObject({ held: true, tookOver: { host: 'bot-2' } });
  });

  it('should keep a live holder fresh with its heartbeat, extending its outbox leases each time', () => {
    const { store, clock, base } = setup();
    const { ticker, beats, fire } = manualTicker();
    let renewed = 0;
    takeInstanceLock(base('a', { ticker, onBeat: () => (renewed += 1) }));
    expect(beats.map((b) => b.ms)).toEqual([HEARTBEAT_EVERY_MS]);

    for (let n = 0; n < 10; n += 1) {
      clock.advance(HEARTBEAT_EVERY_MS);
      fire();
    }

    expect(store.instanceLock.current()?.heartbeatAt).toEqual(clock.now());
    expect(renewed).toBe(10);
    expect(takeInstanceLock(base('b', { pid: 200 })).held).toBe(false);
  });

  it('should tell a holder that went silent and was taken over that its lock is lost, and stop its heartbeat', async () => {
    const { clock, base } = setup();
    const { ticker, beats, fire } = manualTicker();
    let renewed = 0;
    const first = takeInstanceLock(base('a', { ticker, onBeat: () => (renewed += 1) }));
    if (!first.held) throw new Error('expected the lock');
    clock.advance(STALE_AFTER_MS + 1);
    expect(takeInstanceLock(base('b', { pid: 200 })).held).toBe(true);

    fire();

    await first.lock.lost;
    expect(renewed).toBe(0);
    expect(beats[0]?.stopped).toBe(true);
  });

  it('should free the lock on release, so the next process needs no takeover', () => {
    const { base } = setup();
    const first = takeInstanceLock(base('a'));
    if (!first.held) throw new Error('expected the lock');
    first.lock.release();
    first.lock.release();
    expect(takeInstanceLock(base('b', { pid: 200 }))).toMatchObject({ held: true, tookOver: null });
  });
});
