import type { Clock } from '../../src/ports.js';

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
