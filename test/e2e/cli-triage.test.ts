import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { HOSTILE_IDS } from '../../adapters/dlp/simulator-kit/hostile.js';
import { createRuntime } from '../../src/app/runtime.js';
import { SANDBOX_STORE_PATH } from '../../src/app/sandbox.js';
import { silentLogger } from '../../src/log.js';
import { composition } from '../../src/main.js';
import { sandboxSourceIds } from '../support/adapters.js';
import { runDlpBot } from '../support/cli.js';
import { auditRowsIn, paloAltoSource, queryStore } from '../support/serve-e2e.js';

/**
 * Triage from the terminal (`dlp-bot take|assign|note|fp|snippets`), against every vendor simulator the sandbox
 * runs: the same core path as a button, so the same audit rows (surface `console`), and the cards updated.
 */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const ME = `console:${userInfo().username}`;
/** Analysts every simulator's tenant knows (Palo Alto's published API only takes its assignee list). */
const ANALYST = 'analyst01@example.com';
const OTHER = 'analyst02@example.com';

let cwd: string;
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock });
/** An announced, open, unassigned incident of each source, and whether its vendor shows snippets. */
const targets = new Map<string, { ref: string; id: string; snippets: boolean }>();

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-cli-triage-'));
  const scan = await runDlpBot(['scan'], { cwd, clock });
  expect(scan.code, scan.stderr).toBe(0);
  const runtime = createRuntime({
    adapters: ADAPTERS,
    surfaces: composition.surfaces({ write: () => true }),
    load: { kind: 'none' },
    env: {},
    cwd,
    logger: silentLogger,
    clock,
  });
  try {
    for (const source of await runtime.sources()) {
      const row = runtime.store().db.prepare(
        `SELECT i.id FROM postings p JOIN incidents i ON i.source = p.source AND i.id = p.incident_id
         WHERE p.source = ? AND i.status IN ('new', 'open') AND i.assignee IS NULL ORDER BY i.id LIMIT 1`,
      );
      const { id } = row.get(source.id) as { id: string };
      targets.set(source.id, { ref: `${source.id}:${id}`, id, snippets: source.capabilities.snippets });
    }
  } finally {
    await runtime.close();
  }
}, 60_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const rowsFor = (id: string) => auditRowsIn(join(cwd, SANDBOX_STORE_PATH)).filter((r) => r.incident_id === id);

describe('triage from the terminal, in the sandbox', () => {
  it.each(sandboxSourceIds(ADAPTERS))(
    'should take, assign, note, show snippets of and close a %s incident',
    async (source) => {
      const target = targets.get(source);
      if (!target) throw new Error(`no announced incident of ${source}`);
      const { ref, id } = target;
      const note = 'Checked from the terminal with the sender.';
      const runs = [
        await dlpBot('take', ref, '--as', ANALYST),
        await dlpBot('assign', ref, '--to', OTHER, '--as', ANALYST),
        await dlpBot('note', ref, '--text', note),
        ...(target.snippets ? [await dlpBot('snippets', ref)] : []),
        // The sandbox leaves the reason optional (triage.falsePositiveReason's default).
        await dlpBot('fp', ref),
      ];
      for (const run of runs) expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
      const [taken] = runs;
      expect(taken?.stdout).toMatch(new RegExp(`You took ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      // The card the sandbox printed for this incident is brought up to date, with its thread line.
      expect(taken?.stdout).toMatch(/↻ card-\S+ updated/);
      expect(taken?.stdout).toMatch(/Taken by analyst01@example\.com/);
      if (target.snippets) {
        const shown = runs[3]?.stdout ?? '';
        expect(shown).toContain(`Snippets for ${ref}`);
        expect(shown).toContain('Masked · visible only to you · not stored by dlp-bot');
      }
      const rows = rowsFor(id);
      expect(rows.map((r) => [r.action, r.outcome, r.surface])).toEqual([
        ['incident.take', 'ok', 'console'],
        ['incident.assign', 'ok', 'console'],
        ['incident.note', 'ok', 'console'],
        ...(target.snippets ? [['incident.snippets', 'ok', 'console']] : []),
        ['incident.false_positive', 'ok', 'console'],
      ]);
      expect(rows.map((r) => r.actor)).toEqual([
        `${ME} ${ANALYST}`,
        `${ME} ${ANALYST}`,
        ME,
        ...(target.snippets ? [ME] : []),
        ME,
      ]);
      expect(JSON.stringify(rows)).not.toContain('with the sender');
      // Closed: no card offers anything to do any more.
      const shown = await dlpBot('show', ref);
      expect(shown.stdout).not.toContain('Triage here');
    },
  );

  it('should refuse what cannot be an incident or an email, as bad input, before anything runs', async () => {
    const [ref] = [...targets.values()].map((t) => t.ref);
    const notRef = await dlpBot('take', 'not-a-ref');
    expect([notRef.code, notRef.stderr]).toEqual([2, expect.stringContaining('expected <source>:<id>')]);
    const notEmail = await dlpBot('take', ref ?? '', '--as', 'bob at corp');
    expect([notEmail.code, notEmail.stderr]).toEqual([2, expect.stringContaining('--as: expected an email')]);
    const noNote = await dlpBot('note', ref ?? '');
    expect([noNote.code, noNote.stdout]).toEqual([2, expect.stringContaining('The note is empty.')]);
    expect(noNote.stdout).toContain('Give it with --text.');
  });
});

describe('triage from the terminal, when the vendor answers a write unreadably', () => {
  it('should say the note was applied, not failed, and add it once when the person tries again', async () => {
    const at = (iso: string) => ({ now: () => new Date(iso) });
    const simulator = await startPaloAltoSimulator({
      seed: 11,
      incidents: 12,
      clock: at('2026-11-23T10:00:00Z'),
      quirks: { unreadableWriteAnswers: true },
    });
    const dir = mkdtempSync(join(tmpdir(), 'dlp-cli-unreadable-'));
    try {
      const source = paloAltoSource(simulator);
      writeFileSync(
        join(dir, 'dlp-bot.yaml'),
        ['store: { path: ./dlp-bot.sqlite }', 'roles:', `  analyst: [${ANALYST}]`, 'sources:', ...source.sources].join(
          '\n',
        ),
      );
      const run = (when: string, ...argv: string[]) => runDlpBot(argv, { cwd: dir, env: source.env, clock: at(when) });
      expect((await run('2026-11-23T10:00:00Z', 'scan')).code).toBe(0);
      const id = queryStore(join(dir, 'dlp-bot.sqlite'), (db) =>
        db.prepare("SELECT id FROM incidents WHERE status IN ('new', 'open') ORDER BY id LIMIT 1").pluck().get(),
      ) as string;
      const ref = `pan-prod:${id}`;

      const note = ['note', ref, '--as', ANALYST, '--text', 'Checked with the sender.'];
      const noted = await run('2026-11-23T10:01:00Z', ...note);
      expect(noted.code, noted.stdout + noted.stderr).toBe(0);
      expect(noted.stdout).toContain("(applied; Palo Alto Networks Enterprise DLP's answer was unreadable)");
      // A minute later, past the double-click window: the same note again is found in the vendor, not added twice.
      const again = await run('2026-11-23T10:02:00Z', ...note);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain('(it was already there; nothing was added twice)');
      const comments = String(simulator.incident(id)?.reviewer_comments);
      expect(comments.match(/Checked with the sender\./g)).toHaveLength(1);
      const rows = auditRowsIn(join(dir, 'dlp-bot.sqlite')).filter((r) => r.incident_id === id);
      expect(rows.map((r) => [r.action, r.outcome, JSON.parse(r.detail)])).toEqual([
        ['incident.note', 'ok', { length: 24, recordedIn: 'vendor', confirmed: 'reread' }],
        ['incident.note', 'ok', { length: 24, recordedIn: 'vendor', confirmed: 'already' }],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await simulator.close();
    }
  }, 30_000);
});

describe('ids no vendor could have issued', () => {
  it('should finish the scan with console links on, skipping and counting each such record, with a warning', async () => {
    const simulator = await startPaloAltoSimulator({ seed: 11, incidents: 40, quirks: { replaceIds: HOSTILE_IDS } });
    const dir = mkdtempSync(join(tmpdir(), 'dlp-cli-hostile-ids-'));
    try {
      const source = paloAltoSource(simulator);
      const linked = [...source.sources, '    consoleUrl: https://console.example/incidents/{id}'];
      writeFileSync(join(dir, 'dlp-bot.yaml'), ['store: { path: ./dlp-bot.sqlite }', 'sources:', ...linked].join('\n'));
      const env = { ...source.env, DLP_BOT_LOG_LEVEL: 'warn' };
      const scan = await runDlpBot(['scan'], { cwd: dir, env, clock });
      expect(scan.code, scan.stdout + scan.stderr).toBe(0);
      expect(scan.stdout).toContain(`${HOSTILE_IDS.length} record(s) skipped (malformed, or an unusable id)`);
      expect(scan.stderr).toContain('record(s) from pan-prod skipped (malformed, or an unusable id)');
      const stored = queryStore(join(dir, 'dlp-bot.sqlite'), (db) =>
        db.prepare('SELECT id FROM incidents').pluck().all(),
      );
      expect(stored.length).toBeGreaterThan(0);
      for (const id of HOSTILE_IDS) expect(stored).not.toContain(id);
      // Listing only: no request ever carried one of those ids in its path.
      expect(Object.keys(simulator.requests().byRoute).sort()).toEqual([
        'GET /v4/incidents',
        'POST /oauth2/access_token',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await simulator.close();
    }
  }, 30_000);

  it('should refuse an incident reference whose id no vendor could have issued, as bad input', async () => {
    for (const ref of ['pan-prod:..', 'pan-prod:a/../b']) {
      const refused = await dlpBot('note', ref, '--text', 'x');
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('<id> is not an incident id')]);
    }
  });
});

describe('triage from the terminal, with roles and a required reason in the config', () => {
  it('should refuse a viewer with an audit row, and ask an analyst for the reason the config requires', async () => {
    const simulator = await startPaloAltoSimulator({ seed: 11, incidents: 12 });
    const dir = mkdtempSync(join(tmpdir(), 'dlp-cli-roles-'));
    try {
      const source = paloAltoSource(simulator);
      writeFileSync(
        join(dir, 'dlp-bot.yaml'),
        [
          'store: { path: ./dlp-bot.sqlite }',
          'roles:',
          '  default: viewer',
          `  analyst: [${ANALYST}]`,
          'triage: { falsePositiveReason: required }',
          'sources:',
          ...source.sources,
        ].join('\n'),
      );
      const run = (...argv: string[]) => runDlpBot(argv, { cwd: dir, env: source.env });
      expect((await run('scan')).code).toBe(0);
      const store = join(dir, 'dlp-bot.sqlite');
      const id = queryStore(store, (db) =>
        db.prepare("SELECT id FROM incidents WHERE status IN ('new', 'open') ORDER BY id LIMIT 1").pluck().get(),
      ) as string;
      const ref = `pan-prod:${id}`;

      const refused = await run('take', ref);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Taking incidents needs the analyst role; you have the viewer role.');
      const noReason = await run('fp', ref, '--as', ANALYST);
      expect(noReason.code).toBe(2);
      expect(noReason.stdout).toContain('The reason is empty. Say why this is not a real leak.');
      const marked = await run('fp', ref, '--as', ANALYST, '--reason', 'Synthetic test data from QA.');
      expect(marked.code, marked.stdout).toBe(0);
      expect(simulator.incident(id)?.status).toBe('dismissed');

      const rows = auditRowsIn(store).filter((r) => r.incident_id === id);
      expect(rows.map((r) => [r.action, r.outcome, r.actor, JSON.parse(r.detail)])).toEqual([
        ['incident.take', 'denied', ME, { role: 'viewer', required: 'analyst' }],
        ['incident.false_positive', 'failed', `${ME} ${ANALYST}`, { error: 'invalid_input', invalid: 'empty' }],
        ['incident.false_positive', 'ok', `${ME} ${ANALYST}`, { reasonLength: 28, recordedIn: 'vendor' }],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await simulator.close();
    }
  }, 30_000);
});
