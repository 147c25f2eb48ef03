import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/http/pacer.js';
import { fakeClock } from './loopback.js';

async function grantTimes(pacer: { acquire(): Promise<unknown> }, now: () => number, n: number): Promise<number[]> {
  const grants: number[] = [];
  await Promise.all(Array.from({ length: n }, () => pacer.acquire().then(() => grants.push(now()))));
  return grants;
}

/** Largest number of grants inside any half-open window of `spanMs`. */
function busiestWindow(grants: number[], spanMs: number): number {
  return Math.max(...grants.map((start) => grants.filter((t) => t >= start && t < start + spanMs).length));
}

describe('createPacer', () => {
  it('should let 20 through at once and hold the 21st until the minute window allows', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ perMinute: 20, now: clock.now, sleep: clock.sleep });

    const grants = await grantTimes(pacer, clock.now, 25);

    expect(grants.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(grants.slice(20)).toEqual(Array(5).fill(60_000));
    expect(clock.waits).toEqual([60_000]);
  });

  it('should free slots as the oldest sends leave the window', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ perMinute: 20, now: clock.now, sleep: clock.sleep });
    await grantTimes(pacer, clock.now, 10);
    clock.advance(30_000);

    const grants = await grantTimes(pacer, clock.now, 21);

    expect(grants.slice(0, 10)).toEqual(Array(10).fill(30_000));
    expect(grants.slice(10, 20)).toEqual(Array(10).fill(60_000));
    expect(grants[20]).toBe(90_000);
  });

  it('should honour the hourly limit as well as the minute limit', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ perMinute: 20, perHour: 50, now: clock.now, sleep: clock.sleep });

    const grants = await grantTimes(pacer, clock.now, 60);

    expect(grants.slice(40, 50)).toEqual(Array(10).fill(120_000));
    expect(grants[50]).toBe(3_600_000);
    expect(busiestWindow(grants, 60_000)).toBe(20);
    expect(busiestWindow(grants, 3_600_000)).toBe(50);
  });

  it('should never let more than the limit into any minute for spread-out arrivals', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ perMinute: 5, now: clock.now, sleep: clock.sleep });
    const grants: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      clock.advance((i * 7_919) % 13_000);
      await pacer.acquire();
      grants.push(clock.now());
    }
    expect(busiestWindow(grants, 60_000)).toBeLessThanOrEqual(5);
  });

  it('should reject limits that are not positive integers', () => {
    expect(() => createPacer({ perMinute: 0 })).toThrow(RangeError);
  });
});
