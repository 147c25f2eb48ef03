import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { paloAltoSource, queryStore } from '../support/serve-e2e.js';

/** `dlp-bot backup` on a store a scan filled: the copy is whole, checked, private, and never written over a file. */

let simulator: PaloAltoSimulator;
let cwd: string;
let env: Record<string, string>;
const storePath = () => join(cwd, 'dlp-bot.sqlite');
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, env });

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 5, incidents: 20 });
  cwd = mkdtempSync(join(tmpdir(), 'dlp-backup-'));
  const source = paloAltoSource(simulator);
  env = source.env;
  writeFileSync(
    join(cwd, 'dlp-bot.yaml'),
    ['store: { path: ./dlp-bot.sqlite }', 'sources:', ...source.sources].join('\n'),
  );
  expect((await dlpBot('scan')).code).toBe(0);
});

afterAll(async () => {
  await simulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

const countIn = (path: string, table: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('dlp-bot backup', () => {
  it('should copy the store to one private file whose audit chain it verified', async () => {
    const target = join(cwd, 'copy.sqlite');
    const live = JSON.parse((await dlpBot('audit', 'verify', '--json')).stdout) as { rows: number; head: string };
    expect(live.rows).toBeGreaterThan(0);

    const run = await dlpBot('backup', target, '--json');

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      path: target,
      bytes: statSync(target).size,
      integrity: 'ok',
      audit: { ok: true, rows: live.rows, headHash: live.head.split(':')[1] },
    });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    // One self-contained file: nothing beside it to forget when it is moved.
    expect(existsSync(`${target}-wal`)).toBe(false);
    for (const table of ['incidents', 'audit_events', 'outbox', 'job_runs']) {
      expect(countIn(target, table)).toBe(countIn(storePath(), table));
    }
    const human = await dlpBot('backup', join(cwd, 'second.sqlite'));
    expect(human.stdout).toMatch(/Backed up \.\/dlp-bot\.sqlite to .*second\.sqlite \(\d+\.\d MB\)/);
    expect(human.stdout).toContain(`audit chain intact, ${live.rows} row(s), head ${live.head}`);
  });

  it('should refuse to write over an existing file, leaving it as it was', async () => {
    const target = join(cwd, 'precious.txt');
    writeFileSync(target, 'not a backup');

    const run = await dlpBot('backup', target);

    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${target} already exists; a backup never overwrites a file`);
    expect(readFileSync(target, 'utf8')).toBe('not a backup');
  });

  it('should fail when the copy does not verify, naming the broken audit row', async () => {
    queryStore(storePath(), (db) => {
      db.exec('DROP TRIGGER audit_events_no_update');
      db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1").run();
    });
    const target = join(cwd, 'tampered.sqlite');

    const run = await dlpBot('backup', target);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`The copy at ${target} failed its check`);
    expect(run.stdout).toMatch(/audit chain broken: audit row 1 was/);
  });

  it('should say so when there is no store to back up', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dlp-backup-none-'));
    try {
      const source = paloAltoSource(simulator).sources;
      writeFileSync(
        join(empty, 'dlp-bot.yaml'),
        ['store: { path: ./nothing.sqlite }', 'sources:', ...source].join('\n'),
      );
      const run = await runDlpBot(['backup', join(empty, 'copy.sqlite')], { cwd: empty, env });
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('./nothing.sqlite does not exist yet: nothing to back up');
      expect(existsSync(join(empty, 'copy.sqlite'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
