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
  let running = 0;
  // An enabled AsyncLocalStorage hooks every promise the process makes (the whole bot's, beside a sandbox
  // simulator), so it is disabled whenever no pinned run is in flight; the next `run` enables it again.
  const finished = () => {
    running -= 1;
    if (running === 0) pins.disable();
  };
  return {
    now() {
      const ms = pins.getStore();
      return ms === undefined ? base.now() : new Date(ms);
    },
    pinned: (ms, run) => {
      running += 1;
      let result: ReturnType<typeof run>;
      try {
        result = pins.run(ms, run);
      } catch (error) {
        finished();
        throw error;
      }
      if (!(result instanceof Promise)) {
        finished();
        return result;
      }
      return result.finally(finished) as typeof result;
    },
  };
}
