/**
 * The README's first hour, as a new user runs it: the sandbox first (`npm start`, then `dlp-bot scan` beside it),
 * then "Connect a real vendor" with config.minimal.yaml pointed at a standalone Palo Alto simulator. The counts
 * after the switch must be the simulator's own, with nothing of the sandbox in them, and pointing the same source
 * at another server must stop rather than scan on from the first one's watermark.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
/** What config.minimal.yaml's header tells the user to export for the simulator. */
const ENV = { PAN_CLIENT_ID: 'sandbox-client', PAN_CLIENT_SECRET: 'sandbox-secret' };
/** The port config.minimal.yaml names (`dlp-bot simulate --vendor paloalto --port 4010`). */
const README_PORT = 4010;

let cwd: string;
let simulator: PaloAltoSimulator;
let other: PaloAltoSimulator;
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock, env: ENV });

/** config.minimal.yaml as the user copied it, with only the simulator's port changed (tests take a free one). */
function useMinimalConfig(sim: PaloAltoSimulator): void {
  const text = readFileSync(join(root, 'config.minimal.yaml'), 'utf8');
  const port = new URL(sim.baseUrl).port;
  writeFileSync(join(cwd, 'dlp-bot.yaml'), text.replaceAll(`127.0.0.1:${README_PORT}/`, `127.0.0.1:${port}/`));
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-first-hour-'));
  // `dlp-bot simulate --vendor paloalto` defaults: seed 42, 200 incidents.
  simulator = await startPaloAltoSimulator({ seed: 42, incidents: 200, clock });
  other = await startPaloAltoSimulator({ seed: 43, incidents: 180, clock });
});
afterAll(async () => {
  await Promise.all([simulator.close(), other.close()]);
  rmSync(cwd, { recursive: true, force: true });
});

describe('the first hour, from the sandbox to a configured source', () => {
  it('should count exactly what the simulator holds on the first scan after the sandbox, and nothing of the sandbox', async () => {
    const sandbox = await dlpBot('scan', '--json');
    expect(sandbox.code).toBe(0);
    expect(JSON.parse(sandbox.stdout).sources.length).toBeGreaterThan(1);

    useMinimalConfig(simulator);
    expect((await dlpBot('config', 'check')).code).toBe(0);
    const first = await dlpBot('scan', '--json');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.sources).toEqual([
      expect.objectContaining({ source: 'pan-prod', ok: true, mode: 'full', incidents: simulator.openIncidentCount() }),
    ]);

    const aging = JSON.parse((await dlpBot('aging', '--json', '--limit', '1000')).stdout) as { source: string }[];
    expect(aging).toHaveLength(simulator.openIncidentCount());
    expect(new Set(aging.map((row) => row.source))).toEqual(new Set(['pan-prod']));
    const digest = JSON.parse((await dlpBot('digest', '--json')).stdout);
    expect(Object.keys(digest.bySource)).toEqual(['pan-prod']);
    // Nothing was ever closed, resolved or acted on in this store: no figure borrowed from the sandbox's.
    expect(digest).toMatchObject({ resolved24h: 0, falsePositives24h: 0, firstActions7d: 0 });

    const doctor = await dlpBot('doctor');
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`incident list reachable (${simulator.openIncidentCount()} open)`);
    expect(doctor.stdout).not.toContain('stored sources');
  });

  it('should stop, naming the source and both endpoints, once the same source id points at another server', async () => {
    useMinimalConfig(other);
    const moved = await dlpBot('scan');
    expect(moved.code).toBe(1);
    const message = moved.stderr.replace(/\s+/g, ' ');
    expect(message).toContain('source "pan-prod" in ./data/dlp-bot.sqlite');
    expect(message).toContain(`from ${simulator.baseUrl} (tsg 1234567890)`);
    expect(message).toContain(`reads it from ${other.baseUrl} (tsg 1234567890)`);
    expect(message).toContain('Run `dlp-bot store forget pan-prod`');
    expect((await dlpBot('config', 'check')).code).toBe(2);
    expect((await dlpBot('doctor')).code).toBe(1);

    expect((await dlpBot('store', 'forget', 'pan-prod')).code).toBe(0);
    const fresh = JSON.parse((await dlpBot('scan', '--json')).stdout);
    expect(fresh.sources[0]).toMatchObject({ mode: 'full', incidents: other.openIncidentCount() });
  });
});
