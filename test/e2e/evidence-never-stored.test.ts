import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import { runDlpBot } from '../support/cli.js';
import { cardAction, type FakeMessage, installed, message } from '../support/fake-teams/index.js';
import { queryStore } from '../support/serve-e2e.js';
import {
  ADMIN,
  ANALYST,
  cardOf,
  channelCards,
  eventually,
  executeActions,
  incidentKeyOf,
  startTeamsDeployment,
  type TeamsDeployment,
  VIEWER,
} from '../support/teams-e2e.js';

/**
 * The vendor puts this in every snippet and in an unknown `matched_content` field of every record, and nowhere
 * else. Evidence may reach the clicker's own screen; it must never reach the database, a command's output or a
 * log line, whichever action, command or table it goes through.
 */
const MARKER = 'EVIDENCE-MARKER-q7Zx41';

let teams: TeamsDeployment;
let evidenceShown = '';
const touched: string[] = [];

const cards = () => channelCards(teams.connector);
const used = new Set<string>();
function pick(verb: string): FakeMessage {
  const found = cards().find((m) => !used.has(m.id) && executeActions(cardOf(m.activity)).has(verb));
  if (!found) throw new Error(`no unused card with ${verb}`);
  used.add(found.id);
  touched.push(incidentKeyOf(found).i);
  return found;
}
function click(who: typeof ANALYST, card: FakeMessage, verb: string, inputs: Record<string, string> = {}) {
  const key = incidentKeyOf(card);
  const data = executeActions(cardOf(card.activity)).get(verb) ?? { [DATA_KEY]: JSON.stringify({ v: 1, ...key }) };
  return teams.post(cardAction(teams.channel, who, card.id, verb, { ...data, ...inputs }));
}

beforeAll(async () => {
  teams = await startTeamsDeployment({ incidents: 60, evidenceMarker: MARKER, env: { DLP_BOT_LOG_LEVEL: 'debug' } });
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  await teams.post(installed(teams.general, ADMIN));
  await eventually(() => cards().length > 5 && teams.pendingDeliveries() === 0, 'the cards', 20_000);

  // Every triage action, allowed, denied and failed, including the evidence view.
  await click(ANALYST, pick('incident.take'), 'incident.take');
  await click(ANALYST, pick('incident.assign'), 'incident.assign', { assigneeEmail: ADMIN.email });
  await click(ANALYST, pick('incident.note'), 'incident.note', { note: 'Checked with the owner.' });
  await click(ANALYST, pick('incident.note'), 'incident.note', { note: ' ' });
  await click(ANALYST, pick('incident.false_positive'), 'incident.false_positive', { reason: 'QA data' });
  const evidenceCard = pick('incident.snippets');
  const evidence = await click(ANALYST, evidenceCard, 'incident.snippets');
  evidenceShown = JSON.stringify(evidence.body);
  await click(VIEWER, evidenceCard, 'incident.snippets');
  await click(ANALYST, pick('incident.take'), 'reminders.snooze_1h');
  // Chat commands that read incidents (their answers and audit rows), in a 1:1 chat.
  for (const text of ['dlp aging', `dlp show pan-prod:${touched[5]}`, `dlp history pan-prod:${touched[5]}`]) {
    await teams.post(message(teams.personal(ANALYST), ANALYST, text));
  }
  await eventually(() => teams.pendingDeliveries() === 0, 'the card updates', 20_000);
  await eventually(() => teams.auditRows().length >= 10, 'the audit rows', 20_000);
}, 90_000);

afterAll(async () => {
  expect(await teams.stop()).toBe(0);
});

describe('evidence never stored, printed or logged', () => {
  it('should have shown the evidence to the clicker, so the marker did reach dlp-bot', () => {
    expect(evidenceShown).toContain(MARKER);
  });

  it('should leave the marker in no column of any table, whatever the schema holds', () => {
    const scanned = queryStore(teams.storePath, (db) => {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      return tables.map((table) => {
        const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
        const rows = (db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number) ?? 0;
        // Every column, whatever its declared type: SQLite stores text in any of them.
        const hits = columns.filter(
          (column) =>
            (db
              .prepare(`SELECT count(*) FROM "${table}" WHERE instr(CAST("${column}" AS TEXT), ?) > 0`)
              .pluck()
              .get(MARKER) as number) > 0,
        );
        return { table, rows, hits: hits.map((c) => `${table}.${c}`) };
      });
    });
    expect(scanned.flatMap((t) => t.hits)).toEqual([]);
    // Not vacuous: the tables the clicks and the scan write to hold rows.
    const rows = Object.fromEntries(scanned.map((t) => [t.table, t.rows]));
    for (const table of ['incidents', 'audit_events', 'outbox', 'postings', 'action_requests', 'job_runs']) {
      expect(rows[table], table).toBeGreaterThan(0);
    }
  });

  it('should leave the marker nowhere in the database files, free pages and the WAL included', () => {
    for (const file of [teams.storePath, `${teams.storePath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(MARKER)), file).toBe(false);
    }
  });

  it('should print no evidence in show, history, aging, digest (--json) or the audit export (csv, json)', async () => {
    const cwd = dirname(teams.storePath);
    const env = { ...teams.env, DLP_BOT_LOG_LEVEL: 'debug' };
    const snippetsId = touched[5] ?? '';
    const runs = [
      ['show', `pan-prod:${snippetsId}`, '--json'],
      ['history', `pan-prod:${snippetsId}`, '--json'],
      ['aging', '--json'],
      ['digest', '--json'],
      ['audit', 'export', '--format', 'csv'],
      ['audit', 'export', '--format', 'json'],
    ];
    for (const argv of runs) {
      const run = await runDlpBot(argv, { cwd, env });
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout.length, argv.join(' ')).toBeGreaterThan(2);
      expect(run.stdout, argv.join(' ')).not.toContain(MARKER);
      expect(run.stderr, argv.join(' ')).not.toContain(MARKER);
    }
    // The evidence view is audited, and the export says so without its content.
    const exported = (await runDlpBot(['audit', 'export', '--format', 'json'], { cwd, env })).stdout;
    expect(exported).toContain('incident.snippets');
    expect(exported).toContain(snippetsId);
  });

  it("should log every click at debug level without the evidence (serve's whole log)", () => {
    const log = teams.stderr();
    expect(log).toMatch(/triage click/);
    expect(log).toMatch(/incident\.snippets/);
    expect(log).not.toContain(MARKER);
    expect(teams.stdout()).not.toContain(MARKER);
  });
});
