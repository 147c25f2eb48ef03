import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { paloAltoSource } from '../support/serve-e2e.js';

/** What an operator reads after a scan that did not go well: the job's outcome and the log's warnings. */
let simulator: PaloAltoSimulator;
let cwd: string;

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 7, incidents: 40, quirks: { malformedRecordShare: 0.2 } });
  cwd = mkdtempSync(join(tmpdir(), 'dlp-scan-outcomes-'));
});
afterAll(async () => {
  await simulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

function writeConfig(name: string): string {
  const path = join(cwd, `${name}.yaml`);
  const lines = [`store: { path: ./${name}.sqlite }`, 'sources:', ...paloAltoSource(simulator).sources];
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('a scan that did not go well', () => {
  it('should show a source that could not be scanned as failed in dlp-bot jobs, with the reason', async () => {
    const config = writeConfig('refused');
    const env = { PAN_ID: simulator.credentials.clientId, PAN_SECRET: 'not-the-secret' };
    const scan = await runDlpBot(['scan', '--json', '--config', config], { cwd, env });
    expect(scan.code).toBe(1);

    const jobs = await runDlpBot(['jobs', '--json', '--config', config], { cwd, env });
    const scanJob = (
      JSON.parse(jobs.stdout) as { name: string; last: { outcome: string; detail: string } | null }[]
    ).find((job) => job.name === 'scan:pan-prod');
    expect(scanJob?.last).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^source failed \(auth: /),
    });
    const table = await runDlpBot(['jobs', '--config', config], { cwd, env });
    expect(table.stdout).toMatch(/scan:pan-prod.*failed \(manual\): source failed \(auth/);
  });

  it('should warn with their count when records were skipped as malformed, and record the run as ok', async () => {
    const config = writeConfig('malformed');
    const scan = await runDlpBot(['scan', '--json', '--config', config], {
      cwd,
      env: { ...paloAltoSource(simulator).env, DLP_BOT_LOG_LEVEL: 'warn' },
    });
    expect(scan.code).toBe(0);
    const { totals } = JSON.parse(scan.stdout) as { totals: { skipped: number } };
    expect(totals.skipped).toBeGreaterThan(0);
    const warnings = scan.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; skipped?: number; source?: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        source: 'pan-prod',
        skipped: totals.skipped,
        msg: `${totals.skipped} record(s) from pan-prod skipped (malformed, or an unusable id)`,
      }),
    );

    const jobs = await runDlpBot(['jobs', '--json', '--config', config], { cwd, env: paloAltoSource(simulator).env });
    const scanJob = (JSON.parse(jobs.stdout) as { name: string; last: { outcome: string } | null }[]).find(
      (job) => job.name === 'scan:pan-prod',
    );
    expect(scanJob?.last?.outcome).toBe('ok');
  });
});
