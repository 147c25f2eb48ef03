import { describe, expect, it } from 'vitest';
import { zscaler } from '../../adapters/dlp/zscaler/index.js';
import { SIMULATED_LIMITS, startZscalerSimulator, TOKEN_PATH } from '../../adapters/dlp/zscaler/simulator.js';
import type { Actor } from '../../src/ports/index.js';
import { closeAfterAll, collect, createSourceFor, okValue } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BY: Actor = { email: 'pacing@example.com', display: 'Pacing' };
const track = closeAfterAll();

/** Simulator (published limits on) and source on one virtual clock: pacing waits advance it instantly. */
async function setup(incidents: number, overrides: Record<string, unknown> = {}) {
  const clock = fixedClock(ANCHOR);
  const sleep = async (ms: number) => clock.advance(ms);
  const sim = track(
    await startZscalerSimulator({ seed: 9, incidents, anchor: ANCHOR, clock, breachedShare: 0, publishedLimits: true }),
  );
  const source = track(createSourceFor(zscaler, sim, { id: 'zwa', clock, sleep, overrides }));
  const elapsed = () => clock.now().getTime() - ANCHOR.getTime();
  return { sim, source, clock, elapsed };
}

/** A client that does not pace at all, to show what the simulator does past the limits. */
async function unpaced() {
  const clock = fixedClock(ANCHOR);
  const sim = track(
    await startZscalerSimulator({ seed: 1, incidents: 10, anchor: ANCHOR, clock, publishedLimits: true }),
  );
  const minted = await fetch(`${sim.baseUrl}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key_id: sim.credentials.keyId, key_secret: sim.credentials.keySecret }),
  });
  expect(minted.status).toBe(201);
  const { token } = (await minted.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const search = () =>
    fetch(`${sim.baseUrl}/dlp/v1/incidents/search?pageSize=5`, { method: 'POST', headers, body: '{}' });
  const get = () => fetch(`${sim.baseUrl}/dlp/v1/incidents/${sim.records()[0]?.internalId}`, { headers });
  return { sim, clock, search, get };
}

describe('zscaler simulator: published limits', () => {
  it('should answer 429 with Retry-After past 20 searches a minute, per class, and admit again later', async () => {
    const { sim, clock, search, get } = await unpaced();

    const statuses = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await search()).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    clock.advance(15_000);
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(await refused.json()).toEqual({ internalMessage: 'rate limit of 20 per minute exceeded' });
    // GETs are another class with their own 30 a minute.
    for (let i = 0; i < SIMULATED_LIMITS.light.perMinute; i += 1) expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    clock.advance(45_000);
    expect((await search()).status).toBe(200);
    expect(sim.requests().rateLimited).toBe(3);
  });

  it('should enforce 400 searches an hour even when every minute stays under 20', async () => {
    const { clock, search } = await unpaced();
    for (let minute = 0; minute < 20; minute += 1) {
      for (let i = 0; i < 20; i += 1) expect((await search()).status).toBe(200);
      clock.advance(MINUTE);
    }
    const refused = await search();
    expect(refused.status).toBe(429);
    // The first search of the hour leaves the window 60 minutes after it was made, 40 minutes from now.
    expect(refused.headers.get('retry-after')).toBe(String(40 * 60));
    expect(await refused.json()).toEqual({ internalMessage: 'rate limit of 400 per hour exceeded' });
  });
});

describe('zscaler adapter: pacing under the published limits', () => {
  it('should spread a full scan past 20 searches a minute over several minutes without a single 429', async () => {
    const { sim, source, elapsed } = await setup(3_000);
    const listed = await collect(source.listOpen({ mode: 'full' }));

    expect(listed.error).toBeNull();
    expect(listed.incidents.length).toBe(sim.openIncidentCount());
    const searches = sim.requests().byClass.medium;
    expect(searches).toBeGreaterThan(SIMULATED_LIMITS.medium.perMinute);
    expect(sim.requests().rateLimited).toBe(0);
    expect(elapsed()).toBeGreaterThanOrEqual(Math.floor((searches - 1) / 20) * MINUTE);
    expect(new Set(listed.expectedTotals).size).toBe(1);
  });

  it('should keep triage and scanning in their own classes, all paced, with no 429', async () => {
    const { sim, source } = await setup(400);
    const { incidents } = await collect(source.listOpen({ mode: 'full' }));
    const ids = incidents.map((i) => i.id);
    expect(ids.length).toBeGreaterThan(120);

    // Clicks and scans interleaved, more than a minute's budget of each class. One at a time: a virtual clock
    // that jumps while another request is in flight would model a network delay of minutes, which no margin covers.
    for (let i = 0; i < 45; i += 1) {
      okValue(await source.snippets(ids[i] as string));
      if (i < 25) okValue(await source.addNote(ids[45 + i] as string, 'paced', BY));
      if (i < 40) okValue(await source.markFalsePositive(ids[70 + i] as string, 'paced', BY));
      if (i % 8 === 0) expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
    }
    // Light: 45 triggers and 40 closes, plus the read before each note and close (65) that looks for a retry's marker.
    expect(sim.requests().byClass).toMatchObject({ light: 150, token: 1 });
    expect(sim.requests().byClass.medium).toBeGreaterThan(SIMULATED_LIMITS.medium.perMinute);
    expect(sim.requests().rateLimited).toBe(0);
  });

  it('should leave a quarter of the search budget to clicks, so a note never waits behind a backlog scan', async () => {
    const { sim, source, elapsed } = await setup(450, { pageSize: 1 });
    let pages = 0;
    let noteWaitedMs: number | null = null;
    for await (const page of source.listOpen({ mode: 'full' })) {
      okValue(page);
      pages += 1;
      // 400 searches in: had the scan been allowed the whole budget, the hour would now be spent.
      if (pages === 400) {
        const before = elapsed();
        okValue(await source.addNote(String(page.ok && page.value.incidents[0]?.id), 'during the scan', BY));
        noteWaitedMs = elapsed() - before;
      }
    }
    expect(pages).toBeGreaterThan(400);
    expect(noteWaitedMs).toBe(0);
    // The scan itself was held for the hour window rather than running into 429s.
    expect(elapsed()).toBeGreaterThan(HOUR);
    expect(sim.requests().rateLimited).toBe(0);
  });

  it("should wait for ZWA's hour window when another process spent the key's budget, not fail the scan", async () => {
    const { sim, source, clock, elapsed } = await setup(300, { pageSize: 1 });
    expect((await collect(source.listOpen({ mode: 'full' }))).error).toBeNull();
    // A restart: a new process with a fresh pacer, and ZWA still counting the old one's 300 searches.
    const sleep = async (ms: number) => clock.advance(ms);
    const restarted = track(createSourceFor(zscaler, sim, { id: 'zwa', clock, sleep, overrides: { pageSize: 1 } }));
    const before = elapsed();

    const listed = await collect(restarted.listOpen({ mode: 'full' }));

    expect(listed.error).toBeNull();
    expect(listed.incidents.length).toBe(sim.openIncidentCount());
    expect(sim.requests().rateLimited).toBeGreaterThan(0);
    expect(elapsed() - before).toBeGreaterThan(20 * MINUTE);
  });

  it('should wait out the hourly window on a backlog that needs more than 400 searches, with no 429', async () => {
    const { sim, source, elapsed } = await setup(450, { pageSize: 1 });
    const listed = await collect(source.listOpen({ mode: 'full' }));

    expect(listed.error).toBeNull();
    expect(sim.requests().byClass.medium).toBeGreaterThan(SIMULATED_LIMITS.medium.perHour);
    expect(sim.requests().rateLimited).toBe(0);
    expect(elapsed()).toBeGreaterThan(HOUR);
    expect(listed.incidents.length).toBe(sim.openIncidentCount());
  });
});
