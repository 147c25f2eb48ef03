import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import {
  type SymantecSimulator,
  type SymantecSimulatorOptions,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { closeAfterAll } from '../support/adapters.js';
import { runDlpBot } from '../support/cli.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const HOUR = 3_600_000;
const SLA_HOURS: Record<number, number> = { 1: 4, 2: 8, 3: 12, 4: 16 };
const track = closeAfterAll();
const cwd = mkdtempSync(join(tmpdir(), 'dlp-simulate-symantec-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const start = async (options: SymantecSimulatorOptions = {}) =>
  track(
    await startSymantecSimulator({ seed: 11, incidents: 100, anchor: ANCHOR, clock: fixedClock(ANCHOR), ...options }),
  );

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
async function statuses(sim: SymantecSimulator): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const res = await fetch(`${sim.baseUrl}/incidents/statuses`, {
    headers: { authorization: basic(sim.credentials.user, sim.credentials.password) },
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('Symantec simulator: dataset', () => {
  it('should generate the same incidents for the same seed, and different ones for another', async () => {
    const [a, b, c] = [await start(), await start(), await start({ seed: 12 })];
    expect(b.incidents()).toEqual(a.incidents());
    expect(c.incidents()).not.toEqual(a.incidents());
    const ids = a.incidents().map((s) => s.incidentId);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids.some((id) => id > 2 ** 31)).toBe(true);
  });

  it('should put exactly the breachedShare of New incidents past their window, and hide hiddenShare of all', async () => {
    for (const share of [0, 0.5, 1]) {
      const sim = await start({ incidents: 300, breachedShare: share, hiddenShare: 0.2 });
      const fresh = sim.incidents().filter((s) => s.incidentStatusId === 1);
      const late = fresh.filter(
        (s) => ANCHOR.getTime() - s.createdAt.getTime() >= (SLA_HOURS[s.severityId] ?? 0) * HOUR,
      );
      expect(Math.abs(late.length - share * fresh.length), `share ${share}`).toBeLessThanOrEqual(1);
      const hidden = sim.incidents().filter((s) => s.isHidden).length;
      expect(hidden / 300).toBeGreaterThan(0.12);
      expect(hidden / 300).toBeLessThan(0.28);
    }
  });

  it('should let new incidents arrive as the clock moves, New and visible', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, arrivalsPerHour: 6 });
    const before = sim.incidents().length;
    clock.advance(2 * HOUR);
    const after = sim.incidents();
    expect(after.length - before).toBeGreaterThanOrEqual(11);
    expect(after.length - before).toBeLessThanOrEqual(12);
    for (const s of after.slice(before)) {
      expect(s).toMatchObject({ incidentStatusId: 1, isHidden: false });
      expect(s.createdAt.getTime()).toBeGreaterThan(ANCHOR.getTime());
    }
  });
});

describe('Symantec simulator: fault knobs', () => {
  it('should answer every API request with a 500 in Enforce error shape when errorRate is 1', async () => {
    const reply = await statuses(await start({ faults: { errorRate: 1 } }));
    expect(reply).toMatchObject({ status: 500, body: { status: 500, i18nKey: { i18nKey: expect.any(String) } } });
  });

  it('should answer every Nth request with 429 and a Retry-After header', async () => {
    const sim = await start({ faults: { rateLimit429Every: 3, retryAfterSec: 7 } });
    const replies = [];
    for (let i = 0; i < 6; i += 1) replies.push(await statuses(sim));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429, 200, 200, 429]);
    expect(replies[2]?.retryAfter).toBe('7');
  });

  it('should enforce limitPerMinute as a sliding window on the simulator clock', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, faults: { limitPerMinute: 2 } });
    expect((await statuses(sim)).status).toBe(200);
    clock.advance(30_000);
    expect((await statuses(sim)).status).toBe(200);
    expect(await statuses(sim)).toMatchObject({ status: 429, retryAfter: '30' });
    clock.advance(30_000);
    expect((await statuses(sim)).status).toBe(200);
  });

  it('should delay requests by latencyMs and by setLatency from the moment it is set', async () => {
    const sim = await start({ faults: { latencyMs: 60 } });
    let started = performance.now();
    await statuses(sim);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    sim.setLatency(250);
    started = performance.now();
    await statuses(sim);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    sim.setLatency(0);
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
    expect(() => sim.setLatency(1.5)).toThrow(RangeError);
  });

  it('should reject the password once credentialsTtlSec has passed on the simulator clock', async () => {
    const clock = fixedClock(ANCHOR);
    const sim = await start({ clock, credentialsTtlSec: 120 });
    expect((await statuses(sim)).status).toBe(200);
    clock.advance(120_000);
    expect(await statuses(sim)).toMatchObject({ status: 401, body: { message: 'The password has expired.' } });
  });

  it('should refuse nonsensical knobs', async () => {
    await expect(startSymantecSimulator({ breachedShare: 2 })).rejects.toThrow(RangeError);
    await expect(startSymantecSimulator({ credentialsTtlSec: 0 })).rejects.toThrow(RangeError);
    await expect(startSymantecSimulator({ statuses: [{ id: 2, name: 'Open' }] })).rejects.toThrow(/New/);
    await expect(startSymantecSimulator({ timeZone: 'Mars/Olympus' })).rejects.toThrow(RangeError);
    await expect(startSymantecSimulator({ quirks: { malformedRecordShare: -1 } })).rejects.toThrow(RangeError);
  });
});

describe('Symantec simulator: handle and CLI', () => {
  it('should describe itself, emit a source entry and env, count requests and close', async () => {
    const sim = await startSymantecSimulator({
      seed: 2,
      incidents: 40,
      timeZone: 'Europe/Berlin',
      faults: { latencyMs: 1 },
    });
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ProtectManager\/webservices\/v2$/);
    expect(sim.sourceConfig('sym-sandbox')).toEqual({
      id: 'sym-sandbox',
      vendor: 'symantec',
      baseUrl: sim.baseUrl,
      usernameEnv: 'SYMANTEC_SANDBOX_USER',
      passwordEnv: 'SYMANTEC_SANDBOX_PASSWORD',
      timeZone: 'Europe/Berlin',
    });
    expect(sim.env()).toEqual({ SYMANTEC_SANDBOX_USER: 'dlp-bot-api', SYMANTEC_SANDBOX_PASSWORD: 'sandbox-password' });
    const text = sim.describe().join('\n');
    for (const part of [sim.baseUrl, 'sandbox-password', '40 visible', 'Europe/Berlin', 'latencyMs=1'])
      expect(text).toContain(part);
    await statuses(sim);
    await fetch(`${sim.baseUrl}/nope`).then((r) => r.arrayBuffer());
    expect(sim.requests()).toEqual({
      total: 2,
      byRoute: { 'GET /ProtectManager/webservices/v2/incidents/statuses': 1, unmatched: 1 },
    });
    await sim.close();
    await expect(fetch(`${sim.baseUrl}/incidents/statuses`)).rejects.toThrow();
  });

  it('should run as `dlp-bot simulate --vendor symantec` with the fault knobs on', async () => {
    expect(ADAPTERS.map((a) => a.vendor)).toContain('symantec');
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const seen: number[] = [];
    let probed: Promise<void> | undefined;
    const run = await runDlpBot(['simulate', '--vendor', 'symantec', '--incidents', '25', '--error-rate', '1'], {
      cwd,
      stop: stopped,
      onStdout: (all) => {
        const base = /base URL:\s+(\S+)/.exec(all)?.[1];
        if (!base || probed) return;
        probed = (async () => {
          const headers = { authorization: basic('dlp-bot-api', 'sandbox-password') };
          for (let i = 0; i < 2; i += 1) {
            const res = await fetch(`${base}/incidents/statuses`, { headers });
            seen.push(res.status);
            await res.arrayBuffer();
          }
        })().finally(stop);
      },
    });
    await probed;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Symantec DLP \(Enforce\) simulator running/);
    expect(run.stdout).toContain('25 visible');
    expect(seen).toEqual([500, 500]);
  });
});
