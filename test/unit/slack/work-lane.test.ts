import { describe, expect, it } from 'vitest';
import { createWorkLane } from '../../../adapters/chat/slack/work-lane.js';

describe('work lane', () => {
  it('should run at most `limit` jobs at once, start the rest in arrival order, and pass results and errors through', async () => {
    const lane = createWorkLane(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const job = (n: number) =>
      lane.run(async () => {
        started.push(n);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        if (n === 3) throw new Error('job 3 failed');
        return n * 10;
      });
    const results = [1, 2, 3, 4].map((n) => job(n).catch((error: Error) => error.message));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    while (releases.length > 0 || started.length < 4) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const release of releases.splice(0)) release();
    expect(await Promise.all(results)).toEqual([10, 20, 'job 3 failed', 40]);
    expect(started).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});
