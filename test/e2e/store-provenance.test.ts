/**
 * A store knows where each source's data came from. A new user who points a source id at another endpoint (the
 * sandbox's simulator, then a real tenant; one simulator, then another) must never get the old endpoint's
 * watermark, incidents and cards carried into the new one, reported as ok.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const ENV = { PAN_CLIENT_ID: 'sandbox-client', PAN_CLIENT_SECRET: 'sandbox-secret' };
let first: PaloAltoSimulator;
let second: PaloAltoSimulator;
let cwd: string;

beforeAll(async () => {
  // Two tenants with overlapping incident ids (the same id layout, different stories), as two servers would have.
  first = await startPaloAltoSimulator({ seed: 7, incidents: 120, anchor: clock.now(), clock });
  second = await startPaloAltoSimulator({ seed: 8, incidents: 150, anchor: clock.now(), clock });
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** `maxRetries: 0` where a test wants a refused endpoint to fail at once rather than back off. */
function writeConfig(sources: { id: string; sim: PaloAltoSimulator; maxRetries?: number }[]): void {
  const config = {
    store: { path: './data/dlp-bot.sqlite' },
    sources: sources.map(({ id, sim, maxRetries }) => ({
      id,
      vendor: 'paloalto',
      baseUrl: sim.baseUrl,
      tokenUrl: sim.tokenUrl,
      tsgId: sim.credentials.tsgId,
      clientIdEnv: 'PAN_CLIENT_ID',
      clientSecretEnv: 'PAN_CLIENT_SECRET',
      ...(maxRetries === undefined ? {} : { http: { maxRetries } }),
    })),
  };
  writeFileSync(join(cwd, 'dlp-bot.yaml'), stringify(config));
}

const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock, env: ENV });
const scanJson = async () => {
  const run = await dlpBot('scan', '--json');
  return { code: run.code, stderr: run.stderr, summary: run.code === 0 ? JSON.parse(run.stdout) : null };
};

describe('a source pointed at another endpoint', () => {
  it('should stop scan, serve, config check and doctor with the old and new endpoint until the source is forgotten', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dlp-provenance-'));
    writeConfig([{ id: 'pan', sim: first }]);
    const before = await scanJson();
    expect(before.code).toBe(0);
    expect(before.summary.sources[0]).toMatchObject({ source: 'pan', ok: true, incidents: first.openIncidentCount() });

    writeConfig([{ id: 'pan', sim: second }]);
    const refused = await dlpBot('scan');
    expect(refused.code).toBe(1);
    const message = refused.stderr.replace(/\s+/g, ' ');
    expect(message).toContain(`source "pan" in .${join('/', 'data', 'dlp-bot.sqlite')}`);
    expect(message).toContain(`from ${first.baseUrl} (tsg ${first.credentials.tsgId})`);
    expect(message).toContain(`reads it from ${second.baseUrl}`);
    expect(message).toContain('`dlp-bot store forget pan`');
    const served = await dlpBot('serve');
    expect(served.code).toBe(1);
    expect(served.stderr).toContain('dlp-bot store forget pan');
    // Nothing was fetched from the new endpoint on the old watermark.
    expect(second.requests().byRoute['GET /v4/incidents'] ?? 0).toBe(0);

    const check = await dlpBot('config', 'check');
    expect(check.code).toBe(2);
    expect(check.stdout).toContain('sources[0] (pan)');
    expect(check.stdout).toContain(first.baseUrl);
    const doctor = JSON.parse((await dlpBot('doctor', '--json')).stdout) as {
      check: string;
      ok: boolean;
      detail: string;
    }[];
    const pan = doctor.find((f) => f.check === 'source pan');
    expect(pan?.ok).toBe(false);
    expect(pan?.detail).toContain(first.baseUrl);
    expect(pan?.detail).not.toMatch(/last scan .* ok/);

    const forget = await dlpBot('store', 'forget', 'pan', '--json');
    expect(forget.code).toBe(0);
    expect(JSON.parse(forget.stdout)).toMatchObject({
      source: 'pan',
      incidents: before.summary.sources[0].fetched,
      watermark: true,
    });
    const after = await scanJson();
    expect(after.code).toBe(0);
    expect(after.summary.sources[0]).toMatchObject({ mode: 'full', incidents: second.openIncidentCount() });

    const store = openStore(join(cwd, 'data', 'dlp-bot.sqlite'));
    try {
      const forgotten = [...store.audit.iterate({})].filter((row) => row.action === 'store.forget_source');
      expect(forgotten).toEqual([expect.objectContaining({ source: 'pan', outcome: 'ok', surface: 'cli' })]);
      expect(store.audit.verify().ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('should take a corrected endpoint without ceremony when the first scan stored nothing', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dlp-provenance-'));
    const typo = await startPaloAltoSimulator({ seed: 9, incidents: 5, clock, faults: { errorRate: 1 } });
    writeConfig([{ id: 'pan', sim: typo, maxRetries: 0 }]);
    await typo.close();
    expect((await dlpBot('scan')).code).toBe(1);
    writeConfig([{ id: 'pan', sim: second }]);
    const fixed = await scanJson();
    expect(fixed.code).toBe(0);
    expect(fixed.summary.sources[0]).toMatchObject({ ok: true, incidents: second.openIncidentCount() });
  });

  it('should refuse to forget a source the store does not hold, naming those it does', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dlp-provenance-'));
    writeConfig([{ id: 'pan', sim: first }]);
    expect((await dlpBot('scan')).code).toBe(0);
    const typo = await dlpBot('store', 'forget', 'pna');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toContain('holds nothing for "pna"');
    expect(typo.stdout).toContain('Stored sources: pan.');
  });
});

describe('a source dropped from the config', () => {
  it('should leave its incidents out of aging, mine and digest with one line saying so, until forgotten', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dlp-orphan-'));
    writeConfig([
      { id: 'kept', sim: first },
      { id: 'dropped', sim: second },
    ]);
    expect((await dlpBot('scan')).code).toBe(0);
    writeConfig([{ id: 'kept', sim: first }]);

    const aging = JSON.parse((await dlpBot('aging', '--json', '--limit', '1000')).stdout) as { source: string }[];
    expect(new Set(aging.map((row) => row.source))).toEqual(new Set(['kept']));
    expect(aging).toHaveLength(first.openIncidentCount());
    const shown = await dlpBot('aging');
    expect(shown.stdout).toContain('Left out: dropped (in the store but not in the config;');
    expect(shown.stdout).toContain('dlp-bot store forget dropped');

    expect((await dlpBot('mine', '--email', 'alice@corp.example')).stdout).toContain('Left out: dropped');
    const digest = JSON.parse((await dlpBot('digest', '--json')).stdout) as { bySource: Record<string, number> };
    expect(Object.keys(digest.bySource)).toEqual(['kept']);
    expect((await dlpBot('digest')).stdout).toContain('Left out: dropped');
    const doctor = await dlpBot('doctor');
    expect(doctor.stdout).toMatch(/stored sources\s+note\s+Left out: dropped/);

    expect((await dlpBot('store', 'forget', 'dropped')).code).toBe(0);
    expect((await dlpBot('aging')).stdout).not.toContain('Left out');
  });
});
