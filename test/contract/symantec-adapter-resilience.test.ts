import { describe, expect, it } from 'vitest';
import { symantec } from '../../adapters/dlp/symantec/index.js';
import { isMalformed } from '../../adapters/dlp/symantec/simulator/quirks.js';
import {
  type SymantecSimulator,
  type SymantecSimulatorOptions,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { closeAfterAll, collect, createSourceFor, errorOf, okValue, type SourceOptions } from '../support/adapters.js';
import { fixedClock, recordedWaits } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const SEED = 19;
const track = closeAfterAll();
const full = { mode: 'full' } as const;
const ROOT = '/ProtectManager/webservices/v2';
const QUERY = `POST ${ROOT}/incidents`;
const PATCH = `PATCH ${ROOT}/incidents`;
const STATUSES = `GET ${ROOT}/incidents/statuses`;
const ANA = { email: 'ana@example.com', display: 'Ana' };

const start = async (options: SymantecSimulatorOptions = {}) =>
  track(
    await startSymantecSimulator({ seed: SEED, incidents: 200, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );
const sourceFor = (sim: SymantecSimulator, options: SourceOptions = {}) =>
  track(createSourceFor(symantec, sim, { id: 'sym-res', clock: fixedClock(ANCHOR), ...options }));
const count = (sim: SymantecSimulator, route: string) => sim.requests().byRoute[route] ?? 0;
const listedTruth = (sim: SymantecSimulator) => sim.incidents().filter((s) => s.incidentStatusId === 1 && !s.isHidden);

describe('Symantec adapter: paging under vendor quirks', () => {
  it('should skip and count broken rows while returning every good one', async () => {
    const sim = await start({ quirks: { malformedRecordShare: 0.2 } });
    const listed = await collect(sourceFor(sim, { overrides: { pageSize: 30 } }).listOpen(full));
    expect(listed.error).toBeNull();
    const truth = listedTruth(sim);
    const bad = truth.filter((s) => isMalformed(SEED, s.incidentId - 2_147_483_600, 0.2));
    expect(bad.length).toBeGreaterThan(10);
    expect(listed.skipped).toBe(bad.length);
    expect(listed.incidents.map((i) => i.id).sort()).toEqual(
      truth
        .filter((s) => !bad.includes(s))
        .map((s) => String(s.incidentId))
        .sort(),
    );
    // Broken rows cost no per-incident call.
    expect(count(sim, `GET ${ROOT}/incidents/{id}/editableAttributes`)).toBe(truth.length - bad.length);
  });

  it('should yield the first page, then a schema_mismatch saying the listing is incomplete, when the page is ignored', async () => {
    const sim = await start({ quirks: { pageIgnored: true } });
    const listed = await collect(sourceFor(sim, { overrides: { pageSize: 40 } }).listOpen(full));
    expect(listed.pages).toBe(1);
    expect(listed.incidents).toHaveLength(40);
    expect(listed.error?.code).toBe('schema_mismatch');
    expect(listed.error?.message).toMatch(/incomplete/);
    expect(count(sim, QUERY)).toBe(2);
  });

  it('should turn a truncated JSON body into a schema_mismatch error, not a throw', async () => {
    const sim = await start({ quirks: { invalidJson: true } });
    const listed = await collect(sourceFor(sim).listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'schema_mismatch', status: 200, issues: ['body: not valid JSON'] });
    expect(count(sim, QUERY)).toBe(1);
  });

  it('should stop on an exactly full last page with one more, empty, request', async () => {
    const sim = await start();
    const n = listedTruth(sim).length;
    const listed = await collect(sourceFor(sim, { overrides: { pageSize: n } }).listOpen(full));
    expect(listed.incidents).toHaveLength(n);
    expect(listed.pages).toBe(2);
    expect(count(sim, QUERY)).toBe(2);
  });
});

describe('Symantec adapter: faults', () => {
  it('should map a timeout to unavailable', async () => {
    // The simulator would answer after 3 s, so any error here means the 100 ms header timeout cut the request:
    // waiting for the answer would have succeeded. undici checks header timeouts on a coarse (about half-second)
    // tick, so the server stalls well past that; both timers run on this process's one event loop, in order.
    const sim = await start();
    sim.setLatency(3_000);
    const source = sourceFor(sim, { overrides: { http: { maxRetries: 0, headersTimeoutMs: 100 } } });
    const listed = await collect(source.listOpen(full));
    expect(listed.pages).toBe(0);
    expect(listed.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/timed out/) });
    // One request, not retried: the listing stopped at its first call (the statuses lookup).
    expect(sim.requests().total).toBe(1);
    expect(count(sim, STATUSES)).toBe(1);
  });

  it('should retry reads after a 500 but never repeat a PATCH the server may have applied', async () => {
    const sim = await start({ faults: { errorRate: 1 } });
    const source = sourceFor(sim, { overrides: { http: { maxRetries: 2 } } });
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toMatchObject({ code: 'unavailable', status: 500 });
    expect(listed.error?.message).toMatch(/gave up after 3 attempts/);
    expect(count(sim, STATUSES)).toBe(3);
    // Every write first looks for its note's marker, so the PATCH needs a server whose reads still answer.
    const writes = await start({ quirks: { failedWrites: true } });
    const writer = sourceFor(writes, { overrides: { http: { maxRetries: 2 } } });
    expect(errorOf(await writer.addNote(String(listedTruth(writes)[0]?.incidentId), 'x', ANA)).code).toBe(
      'unavailable',
    );
    expect(count(writes, PATCH)).toBe(1);
  });

  it('should wait out Retry-After on a 429, then succeed', async () => {
    const sim = await start({ faults: { rateLimit429Every: 2, retryAfterSec: 1 } });
    const { sleep, waits } = recordedWaits(fixedClock(ANCHOR));
    const source = sourceFor(sim, { sleep, overrides: { assignment: { type: 'none' } } });
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toBeNull();
    expect(listed.incidents).toHaveLength(listedTruth(sim).length);
    // Request 2 (the query) was the 429; the adapter waited exactly the second it was told to, once, then asked again.
    expect(waits).toEqual([1_000]);
    expect(count(sim, STATUSES)).toBe(1);
    expect(count(sim, QUERY)).toBe(2);
  });

  it('should answer auth once the password has expired, with nothing retried', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, credentialsTtlSec: 60 });
    const source = sourceFor(sim, { clock, overrides: { assignment: { type: 'none' } } });
    expect((await collect(source.listOpen(full))).error).toBeNull();
    okValue(await source.check());
    clock.advance(61_000);
    const before = sim.requests().total;
    const listed = await collect(source.listOpen(full));
    expect(listed.error).toMatchObject({ code: 'auth', status: 401 });
    expect(errorOf(await source.check())).toMatchObject({ code: 'auth', status: 401 });
    expect(sim.requests().total - before).toBe(2);
  });
});

describe('Symantec adapter: check', () => {
  it('should report credentials, the listed statuses with their ids, the false-positive status and write-back', async () => {
    const sim = await start();
    const { details } = okValue(await sourceFor(sim, { overrides: { writeBack: { enabled: true } } }).check());
    const text = details.join('\n');
    expect(text).toMatch(/credentials accepted; 7 incident statuses/);
    expect(text).toMatch(/listing New \(1\); times read in UTC/);
    expect(text).toMatch(/false positive status "False Positive" \(43\)/);
    expect(text).toMatch(/write-back on: .*"SLA Breach" \(161\)/);
    expect(text).toMatch(/incident query reachable/);
    expect(errorOf(await sourceFor(sim, { overrides: { listStatuses: ['Nope'] } }).check()).code).toBe('rejected');
  });
});
