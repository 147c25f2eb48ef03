import { describe, expect, it } from 'vitest';
import { connect, requestToken, useSimulators } from '../support/paloalto.js';

const start = useSimulators();

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

describe('Palo Alto simulator: setLatency', () => {
  it('should delay API requests from the moment it is set, not token requests, until set back to 0', async () => {
    const sim = await start();
    const api = await connect(sim);
    sim.setLatency(400);
    const slow = await timed(() => api.get('/incidents/1000001/snippets'));
    expect(slow.value.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(390);
    const token = await timed(() => requestToken(sim));
    expect(token.value.status).toBe(200);
    expect(token.ms).toBeLessThan(300);
    sim.setLatency(0);
    const fast = await timed(() => api.get('/incidents?limit=1'));
    expect(fast.value.status).toBe(200);
    expect(fast.ms).toBeLessThan(300);
  });

  it('should refuse a negative or fractional latency', async () => {
    const sim = await start();
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
    expect(() => sim.setLatency(1.5)).toThrow(RangeError);
  });
});
