import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';
import { fakeIncident } from '../support/fake-source.js';
import { auditRowsIn, queryStore } from '../support/serve-e2e.js';

/**
 * Dead letters as an operator meets them: `outbox list` and `doctor` show them, `outbox retry` queues them again.
 * The store is prepared the way the delivery leaves it: two cards given up after their attempts, one still queued.
 */
const clock = { now: () => new Date('2026-03-02T18:00:00Z') };
// Nothing listens on port 9 on loopback: doctor's source check fails fast, and no request leaves the machine.
const env = { PAN_ID: 'client-id', PAN_SECRET: 'client-secret' };
let cwd: string;
let config: string;
let storePath: string;
const ids = { dead: [0, 0], pending: 0 };

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-outbox-'));
  config = join(cwd, 'dlp-bot.yaml');
  storePath = join(cwd, 'dlp-bot.sqlite');
  writeFileSync(
    config,
    [
      'store: { path: ./dlp-bot.sqlite }',
      'sources:',
      '  - id: pan-prod',
      '    vendor: paloalto',
      '    baseUrl: http://127.0.0.1:9/api',
      '    tokenUrl: http://127.0.0.1:9/oauth2/access_token',
      '    tsgId: "1234567890"',
      '    clientIdEnv: PAN_ID',
      '    clientSecretEnv: PAN_SECRET',
      '    http: { maxRetries: 0 }',
    ].join('\n'),
  );
  const store = openStore(storePath);
  const queue = (id: string) => {
    const incident = fakeIncident('pan-prod', id);
    const meta = {
      contentHash: id,
      slaState: 'breached' as const,
      slaDeadline: null,
      seenAt: clock.now(),
      scanId: 's',
    };
    store.incidents.upsert(incident, meta);
    store.outbox.enqueue({
      source: 'pan-prod',
      incidentId: id,
      kind: 'breached',
      dedupeKey: id,
      createdAt: clock.now(),
    });
    return store.outbox.due(clock.now(), 100).find((row) => row.incidentId === id)?.id ?? 0;
  };
  ids.dead = [queue('INC-1'), queue('INC-2')];
  ids.pending = queue('INC-3');
  for (const id of ids.dead) store.outbox.markDead(id, 'chat.postMessage: Slack answered channel_not_found');
  store.close();
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const dlpBot = (...argv: string[]) => runDlpBot([...argv, '--config', config], { cwd, env, clock });
const outboxRow = (id: number) =>
  queryStore(storePath, (db) => db.prepare('SELECT state, attempts FROM outbox WHERE id = ?').get(id));

describe('dead letters', () => {
  it('should list the dead letters with their last error, and the queued ones too with --pending', async () => {
    const table = await dlpBot('outbox', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('2 dead letter(s); 1 notification(s) queued');
    expect(table.stdout).toMatch(/pan-prod:INC-1.*breached.*dead.*channel_not_found/);
    expect(table.stdout).toContain('dlp-bot outbox retry --all');

    const json = await dlpBot('outbox', 'list', '--pending', '--json');
    const rows = JSON.parse(json.stdout) as { id: number; incident: string; state: string; lastError: string }[];
    expect(rows.map((r) => [r.id, r.incident, r.state])).toEqual([
      [ids.dead[0], 'pan-prod:INC-1', 'dead'],
      [ids.dead[1], 'pan-prod:INC-2', 'dead'],
      [ids.pending, 'pan-prod:INC-3', 'pending'],
    ]);
  });

  it('should fail doctor while there are dead letters, saying how to see and resend them', async () => {
    const doctor = await dlpBot('doctor', '--json');
    expect(doctor.code).toBe(1);
    const findings = JSON.parse(doctor.stdout) as { check: string; ok: boolean; detail: string }[];
    expect(findings.find((f) => f.check === 'outbox')).toEqual({
      check: 'outbox',
      ok: false,
      detail: expect.stringMatching(
        /^2 dead letter\(s\).*dlp-bot outbox list.*dlp-bot outbox retry --all.*1 notification/,
      ),
    });
  });

  it('should refuse a retry that names nothing, or both ids and --all', async () => {
    for (const argv of [
      ['outbox', 'retry'],
      ['outbox', 'retry', '7', '--all'],
      ['outbox', 'retry', 'seven'],
    ]) {
      const run = await dlpBot(...argv);
      expect(run.code).toBe(2);
    }
  });

  it('should queue one dead letter again with its attempts reset, audited, and say why others were not', async () => {
    const [first] = ids.dead;
    const run = await dlpBot('outbox', 'retry', String(first), String(ids.pending), '999');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 dead letter(s) queued again; 2 not retried');
    expect(run.stdout).toContain(`#${ids.pending} is pending, not a dead letter`);
    expect(run.stdout).toContain('there is no outbox row #999');
    expect(outboxRow(first ?? 0)).toEqual({ state: 'pending', attempts: 0 });
    const audit = auditRowsIn(storePath).filter((row) => row.action === 'outbox.retry');
    expect(audit).toEqual([
      expect.objectContaining({ surface: 'cli', source: 'pan-prod', incident_id: 'INC-1', outcome: 'ok' }),
    ]);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toEqual({ outboxId: first, kind: 'breached', attempts: 1 });
  });

  it('should queue every remaining dead letter with --all, after which none is left', async () => {
    const run = await dlpBot('outbox', 'retry', '--all', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ retried: [ids.dead[1]], notDead: [] });
    const list = await dlpBot('outbox', 'list');
    expect(list.stdout).toContain('No dead letters; 3 notification(s) queued');
    const again = await dlpBot('outbox', 'retry', '--all');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No dead letters to retry');
  });
});
