import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { sandboxSourceIds } from '../support/adapters.js';
import { runDlpBot } from '../support/cli.js';

/** The sandbox as a new user meets it: no config file, simulators on loopback, store under ./data/. */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
let cwd: string;
const dlpBot = (...argv: string[]) => runDlpBot(argv, { cwd, clock });

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-sandbox-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the sandbox, driven through the command line', () => {
  it('should scan once and report breaches as one JSON object on stdout', async () => {
    const run = await dlpBot('scan', '--once', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    // Every vendor with a simulator is in the sandbox.
    const simulated = sandboxSourceIds(ADAPTERS);
    expect(simulated.length).toBeGreaterThanOrEqual(6);
    expect(summary.sources.map((s: { source: string }) => s.source).sort()).toEqual(simulated.sort());
    for (const source of summary.sources) expect(source).toMatchObject({ ok: true, error: null, mode: 'full' });
    expect(summary.totals.breached).toBeGreaterThan(0);
    expect(summary.totals.escalated).toBeGreaterThan(0);
    expect(summary.totals.incidents).toBeGreaterThanOrEqual(summary.totals.breached + summary.totals.escalated);
    expect(summary.totals.intents).toBeGreaterThan(0);
  });

  it('should queue nothing new when the same data is scanned again', async () => {
    const run = await dlpBot('scan', '--once', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).totals.intents).toBe(0);
  });

  it('should print the breach cards that the JSON scans kept queued, once', async () => {
    const first = await dlpBot('scan', '--once');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/■ SLA breached: \w+ DLP incident paloalto:\d+, overdue by/);
    // Piped output gets full cards, with the commands that do what the buttons would, not buttons nobody could press.
    expect(first.stdout).toMatch(/Triage here: dlp-bot take paloalto:\d+ · assign … --to <email> · note … --text "…"/);
    expect(first.stdout).toMatch(/Latest card: dlp-bot show paloalto:\d+/);
    expect(first.stdout).not.toContain('[Take it]');
    expect(first.stdout).toMatch(/Scan finished: \d+ breached/);
    const again = await dlpBot('scan', '--once');
    expect(again.stdout).not.toMatch(/■ SLA breached:/);
  });

  it('should list high-severity incidents awaiting triage, oldest first', async () => {
    const text = await dlpBot('aging', 'high');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\d+ high-severity incidents awaiting triage, \d+ past SLA/);
    const json = await dlpBot('aging', 'high', '--json', '--limit', '1000');
    const rows: { severity: string; createdAt: string; slaState: string; overdueMinutes: number }[] = JSON.parse(
      json.stdout,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.severity === 'high')).toBe(true);
    const created = rows.map((r) => r.createdAt);
    expect(created).toEqual([...created].sort());
    expect(rows.some((r) => r.overdueMinutes > 0 && ['breached', 'escalated'].includes(r.slaState))).toBe(true);
    const firstLine = text.stdout
      .split('\n')
      .find((l) => sandboxSourceIds(ADAPTERS).some((id) => l.startsWith(`${id}:`)));
    expect(firstLine).toContain(created[0]?.slice(0, 16).replace('T', ' '));
  });

  it('should show one incident as its card, and say so when it is unknown', async () => {
    const [row] = JSON.parse((await dlpBot('aging', '--json', '--limit', '1')).stdout);
    const shown = await dlpBot('show', `${row.source}:${row.id}`);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${row.source}:${row.id}`);
    expect(shown.stdout).toContain('SLA deadline');
    expect(shown.stdout).toMatch(/Triage here: dlp-bot (take|assign) /);
    expect(shown.stdout).not.toMatch(/\[(Take it|Assign|Reassign|Add note|Mark false positive)\]/);
    const missing = await dlpBot('show', 'paloalto:does-not-exist');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No incident paloalto:does-not-exist in the store');
  });

  it('should show a card without starting the vendor simulators, which only talking to a vendor needs', async () => {
    const [row] = JSON.parse((await dlpBot('aging', '--json', '--limit', '1')).stdout);
    const atInfo = (...argv: string[]) => runDlpBot(argv, { cwd, clock, env: { DLP_BOT_LOG_LEVEL: 'info' } });
    const shown = await atInfo('show', `${row.source}:${row.id}`);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('SLA deadline');
    expect(shown.stderr).not.toContain('sandbox started');
    // The same log level says so when a command does need them.
    expect((await atInfo('doctor')).stderr).toContain('sandbox started');
  });

  it('should print the SLA policy table', async () => {
    const run = await dlpBot('sla');
    expect(run.stdout).toMatch(/default\s+2\s+4\s+8\s+12\s+16\s+new, open/);
  });

  it('should pass doctor and explain that there is no config file', async () => {
    const doctor = await dlpBot('doctor');
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/source paloalto\s+ok\s+Palo Alto Networks Enterprise DLP: token issued/);
    expect(doctor.stdout).toMatch(
      /source paloalto-published\s+ok\s+Palo Alto Networks Enterprise DLP: token issued for TSG/,
    );
    const check = await dlpBot('config', 'check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('No config file found: dlp-bot runs the built-in sandbox');
  });

  it('should export the audit trail and record the export itself', async () => {
    const json = await dlpBot('audit', 'export', '--format', 'json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ seq: 1, action: 'scan.source', outcome: 'ok' });
    const csv = await dlpBot('audit', 'export', '--since', '2026-11-23');
    expect(csv.stdout.split('\n')[0]).toBe(
      'seq,at,actor,surface,action,source,incidentId,outcome,correlationId,detail,prevHash,hash',
    );
    expect(csv.stdout).toContain('audit.export');
    const future = await dlpBot('audit', 'export', '--since', '2030-01-01', '--format', 'json');
    expect(JSON.parse(future.stdout)).toEqual([]);
  });

  it('should verify the audit chain, and name the row after it is edited by hand', async () => {
    const intact = await dlpBot('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/Audit log intact: \d+ row\(s\)/);

    const db = new Database(join(cwd, 'data', 'sandbox.sqlite'));
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update');
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    db.prepare("UPDATE audit_events SET outcome = 'failed' WHERE seq = 2").run();
    db.close();

    const tampered = await dlpBot('audit', 'verify');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('Audit log tampered with: row 2 was edited');
  });
});

describe('the sandbox a day later', () => {
  it('should start a fresh dataset, forget the old sandbox incidents and announce the new breaches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-sandbox-renew-'));
    try {
      const day1 = { now: () => new Date('2026-11-23T10:00:00Z') };
      const day2 = { now: () => new Date('2026-11-24T11:00:00Z') };
      const first = JSON.parse((await runDlpBot(['scan', '--once', '--json'], { cwd: dir, clock: day1 })).stdout);
      const oldest = async (clock: typeof day1) =>
        JSON.parse((await runDlpBot(['aging', '--json', '--limit', '1'], { cwd: dir, clock })).stdout)[0];
      const oldestOnDay1 = await oldest(day1);
      const later = JSON.parse((await runDlpBot(['scan', '--once', '--json'], { cwd: dir, clock: day2 })).stdout);
      expect(later.sources[0].mode).toBe('full');
      expect(later.totals.intents).toBeGreaterThan(0);
      // Same seed, same layout relative to the new anchor: the same picture, not a day's worth of escalations.
      expect(later.totals.incidents).toBe(first.totals.incidents);
      expect(later.totals.breached).toBe(first.totals.breached);
      const oldestOnDay2 = await oldest(day2);
      expect(oldestOnDay2.id).toBe(oldestOnDay1.id);
      expect(Date.parse(oldestOnDay2.createdAt) - Date.parse(oldestOnDay1.createdAt)).toBe(25 * 3_600_000);
      const verify = await runDlpBot(['audit', 'verify'], { cwd: dir, clock: day2 });
      expect(verify.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the sandbox run again, as a new process', () => {
  it('should print the cards that became due since the last run without clashing with the cards printed before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-sandbox-again-'));
    try {
      const first = await runDlpBot(['scan', '--once'], {
        cwd: dir,
        clock: { now: () => new Date('2026-11-23T10:00:00Z') },
      });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/■ SLA breached:/);
      // Two hours on, incidents have arrived and others reached due soon: new cards from a fresh terminal.
      const later = await runDlpBot(['scan', '--once'], {
        cwd: dir,
        clock: { now: () => new Date('2026-11-23T12:00:00Z') },
      });
      expect(later.stderr).toBe('');
      expect(later.code).toBe(0);
      expect(later.stdout).toMatch(/[■▲] SLA (breached|due soon): \w+ DLP incident/);
      expect(later.stdout).toMatch(/Scan finished: \d+ breached/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the sandbox log', () => {
  it('should write each line as JSON with every key once, so log shippers that refuse duplicate keys keep it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-sandbox-log-'));
    try {
      let stop: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const run = await runDlpBot(['serve'], {
        cwd: dir,
        clock,
        // Debug, so the adapters' own lines (Skyhigh's response form) are in it too.
        env: { DLP_BOT_LOG_LEVEL: 'debug' },
        stop: stopped,
        // Every vendor's first scan has run (adapter lines, scan lines and job lines all written) once each job ends.
        onStderr: (all) => {
          if ((all.match(/"msg":"job finished"/g) ?? []).length >= sandboxSourceIds(ADAPTERS).length) stop();
        },
      });
      expect(run.code).toBe(0);
      const lines = run.stderr.trim().split('\n');
      expect(lines.some((l) => l.includes('"job":"scan:skyhigh"'))).toBe(true);
      expect(lines.some((l) => l.includes('skyhigh response form'))).toBe(true);
      for (const line of lines) {
        // JSON is YAML; with uniqueKeys a key written twice is an error, where JSON.parse keeps the last silently.
        expect(() => parseYaml(line, { uniqueKeys: true }), line).not.toThrow();
      }
      const job = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'job finished');
      expect(job.correlationId).toMatch(/^job-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('serve in the sandbox, watched on a terminal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlp-sandbox-tty-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * `serve` on a 120-column terminal, stopped once it says it is watching; no log level set in the environment.
   * Each run starts a second later than the one before: a start time that already ran does not run again.
   */
  let second = 0;
  const serveOnce = (...flags: string[]) => {
    const at = new Date(clock.now().getTime() + 1000 * second++);
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    return runDlpBot(['serve', ...flags], {
      cwd: dir,
      clock: { now: () => at },
      env: { DLP_BOT_LOG_LEVEL: '' },
      tty: { columns: 120 },
      stop: stopped,
      onStdout: (all) => {
        if (/Watching \d+ source\(s\)/.test(all)) stop();
      },
    });
  };
  const plain = (text: string) => stripVTControlCharacters(text);

  it('should print a line per incident, one summary of every source, then what runs where and what to try', async () => {
    const run = await serveOnce();
    expect(run.code).toBe(0);
    const out = plain(run.stdout);
    expect(out).toMatch(
      /^[■▲] (breached|escalated|due soon) +(critical|high|medium|low|info) +(overdue|due in) [\dhdm ]+ +paloalto:\d+ +\S/m,
    );
    expect(out).not.toContain('[Take it]');
    expect(out).not.toContain('SLA deadline');
    expect(out.match(/Scan finished/g)).toHaveLength(1);
    const table = out.slice(out.indexOf('Scan finished'));
    for (const id of sandboxSourceIds(ADAPTERS)) expect(table).toMatch(new RegExp(`^${id} +ok `, 'm'));
    // The banner comes after the summary, so it is what stays on screen, and its example ref is a real one.
    const order = ['Scan finished', 'Simulator on loopback', 'npx dlp-bot aging high', 'Watching'].map((t) =>
      out.indexOf(t),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
    expect(out.slice(out.indexOf('Simulator on loopback'))).not.toMatch(/password|secret/i);
    const ref = /npx dlp-bot show (\S+:\S+)/.exec(out)?.[1] ?? '';
    const shown = await runDlpBot(['show', ref], { cwd: dir, clock });
    expect(shown.code, shown.stdout).toBe(0);
    // On a terminal serve logs warnings only: no job or scan lines.
    expect(run.stderr).toBe('');
  });

  it('should print one line for a scan that found nothing new', async () => {
    const run = await serveOnce();
    const out = plain(run.stdout);
    const sources = sandboxSourceIds(ADAPTERS).length;
    const line = new RegExp(
      `^✔ 10:00 UTC scan: ${sources} source\\(s\\), nothing new \\(\\d+ awaiting, \\d+ due soon, \\d+ breached, \\d+ escalated\\)$`,
      'm',
    );
    expect(out).toMatch(line);
    expect(out).not.toContain('Scan finished');
  });

  it('should log at info and print the simulators in full with --verbose', async () => {
    const run = await serveOnce('--verbose');
    expect(run.code).toBe(0);
    expect(plain(run.stderr)).toContain('job finished');
    expect(plain(run.stdout)).toMatch(/base URL: +http:\/\/127\.0\.0\.1:\d+/);
  });
});
