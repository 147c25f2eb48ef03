import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../../src/ports/index.js';

/** A clock that one request (and everything it awaits) can see stopped at a given time, without affecting others. */
export interface PinnableClock extends Clock {
  pinned<T>(ms: number, run: () => T): T;
}

/**
 * Wraps the simulator's clock so a change keeps one time from start to finish, live and when it is replayed: its
 * `updated_at` and history stamps then come out identical, and the next scan sees nothing new.
 */
export function createPinnableClock(base: Clock): PinnableClock {
  const pins = new AsyncLocalStorage<number>();
  return {
    now() {
      const ms = pins.getStore();
      return ms === undefined ? base.now() : new Date(ms);
    },
    pinned: (ms, run) => pins.run(ms, run),
  };
}
