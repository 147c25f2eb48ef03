import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';
import { auditRowsIn, paloAltoSource, queryStore } from '../support/serve-e2e.js';
import { eventually } from '../support/slack-e2e.js';

/**
 * Retention as an operator meets it: a store that scanned, delivered and triaged forty days ago, then
 * `dlp-bot store prune` with ages in the config, and `serve` pruning on its schedule. One clock drives the bot and
 * the simulator, so "forty days later" is a value, not a wait.
 */

const T0 = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const RETENTION = '  retention: { closedIncidentsDays: 30, deliveredOutboxDays: 7, jobRunsDays: 7 }';

let now = T0;
const clock = { now: () => now };
let simulator: PaloAltoSimulator;
let cwd: string;
let env: Record<string, string>;
const storePath = () => join(cwd, 'dlp-bot.sqlite');

function writeConfig(name: string, retention: string[]): string {
  const path = join(cwd, name);
  writeFileSync(
    path,
    [
      'store:',
      '  path: ./dlp-bot.sqlite',
      ...retention,
      'roles: { default: analyst }',
      'sources:',
      ...paloAltoSource(simulator).sources,
    ].join('\n'),
  );
  return path;
}

const dlpBot = (config: string, ...argv: string[]) => runDlpBot([...argv, '--config', config], { cwd, env, clock });
const count = (sql: string) => queryStore(storePath(), (db) => db.prepare(sql).pluck().get()) as number;

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 11, incidents: 12, clock });
  cwd = mkdtempSync(join(tmpdir(), 'dlp-retention-'));
  env = paloAltoSource(simulator).env;
});

afterAll(async () => {
  await simulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('store retention', () => {
  let closedId: string;

  it('should refuse to prune when store.retention sets no age, changing nothing', async () => {
    const config = writeConfig('no-retention.yaml', []);
    expect((await dlpBot(config, 'scan')).code).toBe(0);
    expect((await dlpBot(config, 'scan')).code).toBe(0);
    closedId = queryStore(storePath(), (db) =>
      db.prepare("SELECT id FROM incidents WHERE status IN ('new', 'open') ORDER BY id LIMIT 1").pluck().get(),
    ) as string;
    const fp = await dlpBot(config, 'fp', `pan-prod:${closedId}`, '--reason', 'Synthetic QA data.');
    expect(fp.code, fp.stdout).toBe(0);
    const rows = auditRowsIn(storePath()).length;

    now = new Date(T0.getTime() + 40 * DAY);
    const run = await dlpBot(config, 'store', 'prune');

    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Nothing to prune: store.retention sets no age');
    expect(auditRowsIn(storePath())).toHaveLength(rows);
  });

  it('should remove old closed incidents, delivered announcements and job runs, keeping every audit row', async () => {
    const config = writeConfig('retention.yaml', [RETENTION]);
    const before = {
      incidents: count('SELECT count(*) FROM incidents'),
      delivered: count("SELECT count(*) FROM outbox WHERE state = 'delivered'"),
      audit: auditRowsIn(storePath()),
    };
    expect(count("SELECT count(*) FROM job_runs WHERE job = 'scan:pan-prod'")).toBe(2);
    expect(count(`SELECT count(*) FROM incidents WHERE id = '${closedId}' AND closed_at IS NOT NULL`)).toBe(1);
    expect(before.delivered).toBeGreaterThan(0);

    const run = await dlpBot(config, 'store', 'prune', '--json');

    expect(run.code, run.stderr).toBe(0);
    const pruned = { incidents: 1, postings: 1, outbox: before.delivered, jobRuns: 1 };
    expect(JSON.parse(run.stdout)).toEqual(pruned);
    expect(count(`SELECT count(*) FROM incidents WHERE id = '${closedId}'`)).toBe(0);
    expect(count('SELECT count(*) FROM incidents')).toBe(before.incidents - 1);
    expect(count('SELECT count(*) FROM outbox')).toBe(0);
    // The newest run of each job stays: `dlp-bot jobs` still says when it last ran.
    expect(count("SELECT count(*) FROM job_runs WHERE job = 'scan:pan-prod'")).toBe(1);
    const after = auditRowsIn(storePath());
    expect(after.slice(0, -1)).toEqual(before.audit);
    const row = after.at(-1);
    expect(row).toMatchObject({ action: 'store.prune', outcome: 'ok', surface: 'cli', source: null });
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({
      ...pruned,
      closedIncidentsDays: 30,
      deliveredOutboxDays: 7,
      jobRunsDays: 7,
    });
    expect((await dlpBot(config, 'audit', 'verify')).code).toBe(0);
  });

  it('should prune inside serve on its schedule, catching up a missed run at start', async () => {
    const config = join(cwd, 'scheduled.yaml');
    writeFileSync(
      config,
      [
        'store:',
        '  path: ./dlp-bot.sqlite',
        '  retention: { jobRunsDays: 7, schedule: "30 3 * * *" }',
        'scan: { schedule: "0 0 1 1 *" }',
        'sources:',
        ...paloAltoSource(simulator).sources,
      ].join('\n'),
    );
    // Serve pruned at 03:30 two days ago and has been down since: today's 03:30 was missed.
    const store = openStore(storePath());
    const lastSlot = new Date('2027-01-01T03:30:00Z');
    const id = store.jobRuns.start('store-prune', lastSlot, 'scheduled', lastSlot);
    if (id !== null) store.jobRuns.finish(id, 'ok', lastSlot, 'earlier run');
    store.close();
    now = new Date('2027-01-03T10:00:00Z');
    const planned = await runDlpBot(['jobs', '--config', config], { cwd, env, clock });
    expect(planned.stdout).toMatch(/store-prune +30 3 \* \* \* \(UTC\) +Fri 1 Jan 03:30 UTC/);
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });

    const serving = runDlpBot(['serve', '--config', config], { cwd, env, clock, stop: stopped });
    const caughtUp = await eventually(
      () =>
        queryStore(storePath(), (db) =>
          db
            .prepare(
              "SELECT reason, outcome, slot FROM job_runs WHERE job = 'store-prune' AND outcome <> 'running' AND id <> ?",
            )
            .get(id),
        ) as { reason: string; outcome: string; slot: number } | undefined,
      'the prune caught up at start',
    );
    stop();
    expect((await serving).code).toBe(0);

    expect(caughtUp).toEqual({ reason: 'catch_up', outcome: 'ok', slot: Date.parse('2027-01-03T03:30:00Z') });
    const prunes = auditRowsIn(storePath()).filter((r) => r.action === 'store.prune');
    expect(prunes.at(-1)).toMatchObject({ actor: 'system', surface: 'scheduler', outcome: 'ok' });
  });
});
