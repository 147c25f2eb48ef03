import { describe, expect, it } from 'vitest';
import { zscaler } from '../../adapters/dlp/zscaler/index.js';
import {
  startZscalerSimulator,
  TOKEN_PATH,
  type ZscalerSimulatorOptions,
} from '../../adapters/dlp/zscaler/simulator.js';
import { createRequestCounter } from '../../src/http/counter.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock, recordedWaits } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const track = closeAfterAll();

/** A simulator and a source sharing one virtual clock: waits (pacing, Retry-After) advance it, not real time. */
async function setup(simOptions: ZscalerSimulatorOptions = {}, options: SourceOptions = {}) {
  const clock = fixedClock(ANCHOR);
  const { sleep, waits } = recordedWaits(clock);
  const counter = createRequestCounter();
  const sim = track(await startZscalerSimulator({ seed: 5, incidents: 150, anchor: ANCHOR, clock, ...simOptions }));
  const source = track(createSourceFor(zscaler, sim, { id: 'zwa', clock, sleep, counter, ...options }));
  return { sim, source, clock, waits, counts: () => counter.bySource().zwa };
}

describe('zscaler adapter: tokens', () => {
  it('should mint one 12-hour token and reuse it across calls', async () => {
    const { sim, source } = await setup();
    await collect(source.listOpen({ mode: 'full' }));
    await collect(source.listOpen({ mode: 'full' }));
    expect(sim.requests().token).toBe(1);
    expect(okValue(await source.check()).details[0]).toBe('API key accepted; token valid for 12 h');
  });

  it('should get a new token and repeat the call once when ZWA answers 401 to a revoked one', async () => {
    const { sim, source, counts } = await setup();
    const first = await collect(source.listOpen({ mode: 'full' }));
    sim.revokeTokens();

    const again = await collect(source.listOpen({ mode: 'full' }));
    expect(again.error).toBeNull();
    expect(again.incidents).toEqual(first.incidents);
    expect(sim.requests().unauthorized).toBe(1);
    expect(sim.requests().byRoute[`POST ${TOKEN_PATH}`]).toBe(2);
    expect(counts()?.token).toBe(2);
  });

  it('should renew a token before it expires instead of waiting for a 401', async () => {
    const { sim, source, clock } = await setup({ tokenTtlSec: 600 });
    const note = (id: string) => source.addNote(id, 'x', { email: null, display: 'Bot' });
    const { incidents } = await collect(source.listOpen({ mode: 'full' }));
    clock.advance(595_000);
    okValue(await note(String(incidents[0]?.id)));
    expect(sim.requests().token).toBe(2);
    expect(sim.requests().unauthorized).toBe(0);
  });

  it('should map a wrong key to auth without retrying the token call', async () => {
    const { sim, source } = await setup({}, { env: { ZSCALER_SANDBOX_KEY_SECRET: 'wrong' } });
    expect(errorOf(await source.check()).code).toBe('auth');
    expect(sim.requests().token).toBe(1);
  });
});

describe('zscaler adapter: 429 handling', () => {
  it('should wait out Retry-After on a 429 and finish the listing', async () => {
    const { source, waits, counts } = await setup({ faults: { rateLimit429Every: 2, retryAfterSec: 7 } });
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.error).toBeNull();
    expect(listed.incidents.length).toBeGreaterThan(0);
    expect(counts()?.rateLimited).toBeGreaterThan(0);
    expect(waits.filter((ms) => ms === 7_000).length).toBe(counts()?.rateLimited);
  });

  it("should give up with rate_limited and the vendor's wait once retries are spent", async () => {
    const { source } = await setup(
      { faults: { rateLimitShare: 1, retryAfterSec: 9 } },
      { overrides: { http: { maxRetries: 2 } } },
    );
    const listed = await collect(source.listOpen({ mode: 'full' }));
    expect(listed.error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 9_000 });
    expect(listed.error?.message).toMatch(/gave up after 3 attempts/);
  });
});
