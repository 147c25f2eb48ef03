import { describe, expect, it } from 'vitest';
import { PAN_CLIENT_SECRET_ENV } from '../../adapters/dlp/paloalto/simulator.js';
import { collect, errorOf, okValue } from '../support/adapters.js';
import { fixedClock, recordedWaits } from '../support/fixed-clock.js';
import { ANCHOR, listRequests, simulatorRecordsWith, useSimulators } from '../support/paloalto.js';
import { sortedIds, usePanSources } from '../support/paloalto-expect.js';

const start = useSimulators({ seed: 43, incidents: 120 });
const panSource = usePanSources();
const full = { mode: 'full' } as const;
const GET_ROUTE = 'GET /v4/incidents/{incident_id}';

describe('Palo Alto adapter: authentication', () => {
  it('should answer auth, with the 401, when the client secret is wrong', async () => {
    const sim = await start();
    const source = panSource(sim, { env: { [PAN_CLIENT_SECRET_ENV]: 'not-the-secret' } });
    const listed = await collect(source.listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'auth', status: 401 });
    expect(errorOf(await source.check())).toMatchObject({ code: 'auth', status: 401 });
    // Bad credentials are not retried, and the API itself is never called without a token.
    expect(listRequests(sim)).toBe(0);
    expect(sim.requests().token).toBe(2);
  });

  it('should fetch a new token transparently once the old one has expired', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, tokenTtlSec: 60 });
    const source = panSource(sim, { clock });
    const first = await collect(source.listOpen(full));
    expect(first.error).toBeNull();
    expect(sim.requests().token).toBe(1);
    clock.advance(61_000);
    const second = await collect(source.listOpen(full));
    expect(second.error).toBeNull();
    expect(sortedIds(second.incidents)).toEqual(sortedIds(first.incidents));
    expect(sim.requests().token).toBe(2);
    const { details } = okValue(await source.check());
    expect(details.join('\n')).toMatch(/valid 1 min/);
  });
});

describe('Palo Alto adapter: faults', () => {
  it('should give up with unavailable after maxRetries when every request fails with 500', async () => {
    const sim = await start({ faults: { errorRate: 1 } });
    const source = panSource(sim, { overrides: { http: { maxRetries: 1 } } });
    const listed = await collect(source.listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'unavailable', status: 500 });
    expect(listed.error?.message).toMatch(/gave up after 2 attempts/);
    expect(listRequests(sim)).toBe(2);
  });

  it('should wait out Retry-After on a 429, then succeed', async () => {
    const sim = await start({ faults: { rateLimit429Every: 2, retryAfterSec: 1 } });
    const clock = fixedClock(ANCHOR);
    const { sleep, waits } = recordedWaits(clock);
    const source = panSource(sim, { clock, sleep });
    const [a, b] = simulatorRecordsWith(sim, ['open']);
    expect(okValue(await source.get(String(a?.incident_id))).id).toBe(a?.incident_id);
    expect(waits).toEqual([]);
    const got = await source.get(String(b?.incident_id));
    expect(okValue(got).id).toBe(b?.incident_id);
    // Request 2 was the 429; the adapter waited exactly the second it was told to, once, before request 3.
    expect(waits).toEqual([1_000]);
    expect(sim.requests().byRoute[GET_ROUTE]).toBe(3);
    expect(sim.requests().token).toBe(1);
  });

  it('should list the same incidents with latency added to every response', async () => {
    const [slow, quick] = [await start({ faults: { latencyMs: 25 } }), await start()];
    const started = performance.now();
    const listed = await collect(panSource(slow, { overrides: { pageSize: 40 } }).listOpen(full));
    const elapsed = performance.now() - started;
    expect(listed.error).toBeNull();
    expect(listed.incidents).toEqual((await collect(panSource(quick).listOpen(full))).incidents);
    expect(listRequests(slow)).toBeGreaterThan(2);
    expect(elapsed).toBeGreaterThanOrEqual(25 * listRequests(slow) - 5);
  });
});
