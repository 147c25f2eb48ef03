import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';

/** `dlp-bot jobs` only reads: before the bot's first run it plans, and creates no database. */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const env = { PAN_ID: 'client-id', PAN_SECRET: 'client-secret' };
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-jobs-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function writeConfig(name: string): { path: string; store: string } {
  const path = join(cwd, `${name}.yaml`);
  writeFileSync(
    path,
    [
      `store: { path: ./${name}.sqlite }`,
      'sources:',
      '  - { id: pan-prod, vendor: paloalto, tsgId: "1234567890", clientIdEnv: PAN_ID, clientSecretEnv: PAN_SECRET }',
    ].join('\n'),
  );
  return { path, store: join(cwd, `${name}.sqlite`) };
}

describe('dlp-bot jobs', () => {
  it('should say the bot has not run yet, list the planned jobs with next runs, and create no store', async () => {
    const { path, store } = writeConfig('fresh');
    const run = await runDlpBot(['jobs', '--config', path], { cwd, clock, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no runs yet — the bot has not run with this config');
    expect(run.stdout).toMatch(/scan:pan-prod.*never.*Mon 23 Nov 10:\d\d UTC/);
    expect(run.stdout).toContain('notices');
    expect(existsSync(store)).toBe(false);
    expect(readdirSync(cwd).filter((f) => f.startsWith('fresh'))).toEqual(['fresh.yaml']);
    const json = await runDlpBot(['jobs', '--json', '--config', path], { cwd, clock, env });
    const jobs = JSON.parse(json.stdout) as { name: string; next: string; last: unknown }[];
    expect(jobs.find((j) => j.name === 'scan:pan-prod')).toMatchObject({ last: null, next: expect.any(String) });
    expect(existsSync(store)).toBe(false);
  });

  it('should read an existing store and not claim the bot never ran', async () => {
    const { path, store } = writeConfig('used');
    openStore(store).close();
    const run = await runDlpBot(['jobs', '--config', path], { cwd, clock, env });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('no runs yet');
    expect(run.stdout).toMatch(/scheduled job\(s\), \d+ not run yet/);
  });

  it('should create no ./data in the sandbox either', async () => {
    const sandbox = mkdtempSync(join(cwd, 'sandbox-'));
    const run = await runDlpBot(['jobs'], { cwd: sandbox, clock });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no runs yet — the bot has not run with this config');
    expect(run.stdout).toMatch(/scan:paloalto/);
    expect(readdirSync(sandbox)).toEqual([]);
  });
});
