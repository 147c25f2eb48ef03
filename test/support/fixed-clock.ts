import type { Clock } from '../../src/ports/index.js';

export interface FixedClock extends Clock {
  advance(ms: number): void;
  set(iso: string | Date): void;
}

/** A clock that moves only when told to; share one between a simulator and an adapter to drive both. */
export function fixedClock(iso: string | Date): FixedClock {
  const parse = (value: string | Date) => {
    const ms = new Date(value).getTime();
    if (Number.isNaN(ms)) throw new RangeError(`fixedClock: not a date: ${String(value)}`);
    return ms;
  };
  let ms = parse(iso);
  return {
    now: () => new Date(ms),
    advance(by) {
      ms += by;
    },
    set(value) {
      ms = parse(value);
    },
  };
}

export interface RecordedWaits {
  /** For `AdapterDeps.sleep`: advances the clock by `ms` at once instead of waiting. */
  sleep(ms: number): Promise<void>;
  /** Every wait asked for, in order: what the code decided, not how long the OS took. */
  waits: number[];
}

/** Waits on `clock` that pass instantly and are recorded, so a test asserts the exact pacing and Retry-After waits. */
export function recordedWaits(clock: FixedClock): RecordedWaits {
  const waits: number[] = [];
  return {
    waits,
    async sleep(ms) {
      waits.push(ms);
      clock.advance(ms);
    },
  };
}
