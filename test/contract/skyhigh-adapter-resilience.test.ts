import { describe, expect, it } from 'vitest';
import { skyhigh } from '../../adapters/dlp/skyhigh/index.js';
import {
  EXCHANGE_PATH,
  QUERY_ROUTE,
  SHN_PASSWORD_ENV,
  type SkyhighSimulator,
  type SkyhighSimulatorOptions,
  startSkyhighSimulator,
  TOKEN_PATH,
} from '../../adapters/dlp/skyhigh/simulator.js';
import { createRequestCounter } from '../../src/http/counter.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { type FixedClock, fixedClock, recordedWaits } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const full = { mode: 'full' } as const;
const track = closeAfterAll();
const start = async (options: SkyhighSimulatorOptions = {}) =>
  track(
    await startSkyhighSimulator({ seed: 12, incidents: 120, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );
const source = (sim: SkyhighSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(skyhigh, sim, { id: 'shn-test', clock: fixedClock(ANCHOR), ...options }));
const queries = (sim: SkyhighSimulator) => sim.requests().byRoute[QUERY_ROUTE] ?? 0;
const tokenRoute = (sim: SkyhighSimulator, path: string) => sim.requests().byRoute[`POST ${path}`] ?? 0;
const firstId = (sim: SkyhighSimulator) =>
  String(sim.records().find((r) => r.incidentGroup.startsWith('Alert.Policy.') && r.status === 'new')?.incidentId);

describe('Skyhigh adapter: Basic auth', () => {
  it('should answer auth, with the 401, for a wrong password, without retrying', async () => {
    const sim = await start();
    const bad = source(sim, { env: { [SHN_PASSWORD_ENV]: 'not-the-password' } });
    const listed = await collect(bad.listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'auth', status: 401 });
    expect(errorOf(await bad.check())).toMatchObject({ code: 'auth', status: 401 });
    expect(queries(sim)).toBe(2);
  });

  it('should say in check() that Basic auth works and the query is reachable', async () => {
    const sim = await start();
    const { details } = okValue(await source(sim).check());
    expect(details).toEqual(['Basic auth accepted', 'incident query reachable (incidents modified in the last 24 h)']);
    expect(sim.requests().token).toBe(0);
  });
});

describe('Skyhigh adapter: the token option', () => {
  const tokenMode = (sim: SkyhighSimulator, clock: FixedClock, extra: Record<string, unknown> = {}) =>
    source(sim, { clock, overrides: { auth: 'token', ...extra } });

  it('should fetch one IAM token for a whole listing and trust it for tokenLifetimeSec', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const shn = tokenMode(sim, clock, { limit: 10 });
    const listed = await collect(shn.listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.pages).toBeGreaterThan(3);
    expect(tokenRoute(sim, TOKEN_PATH)).toBe(1);
    expect(okValue(await shn.check()).details[0]).toBe('token issued (trusted for 10 min)');
    clock.advance(10 * 60_000);
    expect((await collect(shn.listOpen(full))).error).toBeNull();
    expect(tokenRoute(sim, TOKEN_PATH)).toBe(2);
  });

  it('should fetch a new token when the server expires one earlier than trusted', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, tokenTtlSec: 60 });
    const shn = tokenMode(sim, clock);
    const first = await collect(shn.listOpen(full));
    clock.advance(90_000);
    const second = await collect(shn.listOpen(full));
    expect(second.error).toBeNull();
    expect(second.incidents).toEqual(first.incidents);
    // The stale token's 401, one new token, the same request again.
    expect(tokenRoute(sim, TOKEN_PATH)).toBe(2);
  });

  it("should exchange the IAM token when tokenExchangeUrl is set, and trust the exchange's lifetime", async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock });
    const shn = tokenMode(sim, clock, { tokenExchangeUrl: `${sim.origin}${EXCHANGE_PATH}` });
    expect((await collect(shn.listOpen(full))).error).toBeNull();
    expect([tokenRoute(sim, TOKEN_PATH), tokenRoute(sim, EXCHANGE_PATH)]).toEqual([1, 1]);
    expect(okValue(await shn.check()).details[0]).toBe('token issued (trusted for 15 min)');
  });

  it('should send bps-tenant-id when configured, and answer auth for a wrong password', async () => {
    const clock = fixedClock(ANCHOR);
    const tenantId = '0f1e2d3c-aaaa-bbbb-cccc-001122334455';
    const sim = await start({ clock, tenantId });
    expect((await collect(tokenMode(sim, clock, { tenantId }).listOpen(full))).error).toBeNull();
    expect(errorOf(await tokenMode(sim, clock).check())).toMatchObject({ code: 'auth', status: 401 });
    const wrong = source(sim, { clock, overrides: { auth: 'token', tenantId }, env: { [SHN_PASSWORD_ENV]: 'nope' } });
    expect((await collect(wrong.listOpen(full))).error).toMatchObject({ code: 'auth', status: 401 });
  });
});

describe('Skyhigh adapter: errors reported inside a 200', () => {
  it('should map the entity status to auth, rate_limited (with Retry-After) and unavailable', async () => {
    const unauthorised = await start({ quirks: { errorsInBody: true } });
    const bad = source(unauthorised, { env: { [SHN_PASSWORD_ENV]: 'nope' } });
    expect((await collect(bad.listOpen(full))).error).toMatchObject({ code: 'auth', status: 401 });
    const throttled = await start({ quirks: { errorsInBody: true }, faults: { rateLimitShare: 1, retryAfterSec: 2 } });
    const limited = errorOf(await source(throttled).get(firstId(throttled)));
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 2_000 });
    const broken = await start({ quirks: { errorsInBody: true }, faults: { errorRate: 1 } });
    const listed = await collect(source(broken).listOpen(full));
    expect(listed.error).toMatchObject({ code: 'unavailable', status: 500 });
    expect(queries(broken)).toBe(1);
  });
});

describe('Skyhigh adapter: faults', () => {
  it('should retry a 500 on queryIncidents (a read) and give up with unavailable after maxRetries', async () => {
    const sim = await start({ faults: { errorRate: 1 } });
    const listed = await collect(source(sim, { overrides: { http: { maxRetries: 1 } } }).listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'unavailable', status: 500 });
    expect(listed.error?.message).toMatch(/gave up after 2 attempts/);
    expect(queries(sim)).toBe(2);
  });

  it('should wait out Retry-After on a 429, then succeed', async () => {
    const sim = await start({ faults: { rateLimit429Every: 2, retryAfterSec: 1 } });
    const { sleep, waits } = recordedWaits(fixedClock(ANCHOR));
    const shn = source(sim, { sleep });
    const id = firstId(sim);
    expect(okValue(await shn.get(id)).id).toBe(id);
    expect(waits).toEqual([]);
    const again = await shn.get(id);
    expect(okValue(again).id).toBe(id);
    // Query 2 was the 429; the adapter waited exactly the second it was told to, once, before query 3.
    expect(waits).toEqual([1_000]);
    expect(queries(sim)).toBe(3);
  });

  it('should list the same incidents with latency on every response, and count every request', async () => {
    const [slow, quick] = [await start({ faults: { latencyMs: 20 } }), await start()];
    const counter = createRequestCounter();
    const started = performance.now();
    const listed = await collect(source(slow, { counter, overrides: { limit: 15 } }).listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toEqual((await collect(source(quick).listOpen(full))).incidents);
    expect(queries(slow)).toBeGreaterThan(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 * queries(slow) - 5);
    expect(counter.bySource()['shn-test']).toEqual({ api: queries(slow), token: 0, rateLimited: 0, failed: 0 });
  });
});
