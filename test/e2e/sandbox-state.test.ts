import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { createRuntime } from '../../src/app/runtime.js';
import { SANDBOX_STORE_PATH } from '../../src/app/sandbox.js';
import { silentLogger } from '../../src/log.js';
import type { Actor, Capabilities, IncidentSource } from '../../src/ports/index.js';
import { runDlpBot } from '../support/cli.js';
import { queryStore } from '../support/serve-e2e.js';

/**
 * One sandbox state: triage made while `serve` runs the sandbox is what a one-shot command in the same folder sees,
 * while serve runs (its simulators) and after it stopped (the vendor state replayed from ./data/sandbox-vendors).
 */
const T0 = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const at = { ms: T0 };
const clock = { now: () => new Date(at.ms) };
let cwd: string;
const dlpBot = (argv: string[], env: Record<string, string> = {}) => runDlpBot(argv, { cwd, clock, env });
const storePath = () => join(cwd, SANDBOX_STORE_PATH);
const journalDir = () => join(cwd, 'data', 'sandbox-vendors');

const ACTOR: Actor = { email: 'ana@corp.example', display: 'Ana Lyst' };
/** In every simulated directory that has one (Palo Alto's published API only accepts its own assignees). */
const ASSIGNEE = { id: 'analyst01@example.com', display: 'Analyst 01' };

type Action = keyof Pick<Capabilities, 'assign' | 'note' | 'falsePositive'>;
const ACTIONS: Record<Action, (source: IncidentSource, id: string) => ReturnType<IncidentSource['assign']>> = {
  assign: (source, id) => source.assign(id, ASSIGNEE, ACTOR),
  note: (source, id) => source.addNote(id, 'Checked with the data owner.', ACTOR),
  falsePositive: (source, id) => source.markFalsePositive(id, 'Test data, not customer records.', ACTOR),
};

interface Stored {
  status: string;
  assignee: string | null;
  updatedAt: string | null;
  contentHash: string;
}
interface Triaged {
  source: string;
  id: string;
  action: Action;
  before: Stored;
}

async function shown(ref: string): Promise<Stored> {
  const run = await dlpBot(['show', ref, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const { status, assignee, updatedAt, contentHash } = JSON.parse(run.stdout);
  return { status, assignee, updatedAt, contentHash };
}

/** `dlp-bot serve` on the sandbox in this process, ready once its first scan has finished. */
async function serveSandbox() {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let ready: () => void = () => {};
  const watching = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const exited = runDlpBot(['serve'], {
    cwd,
    clock,
    stop: stopped,
    onStdout: (all) => {
      if (/Watching \d+ source\(s\)/.test(all)) ready();
    },
  });
  await Promise.race([
    watching,
    exited.then((r) => {
      throw new Error(`serve exited early (${r.code}): ${r.stderr}${r.stdout}`);
    }),
  ]);
  return {
    async stop() {
      stop();
      return (await exited).code;
    },
  };
}

/** Each vendor's triage calls, made the way a one-shot command in the sandbox folder makes them. */
async function triageEveryVendor(): Promise<Triaged[]> {
  const runtime = createRuntime({
    adapters: ADAPTERS,
    surfaces: [],
    load: { kind: 'none' },
    env: {},
    cwd,
    logger: silentLogger,
    clock,
  });
  const triaged: Triaged[] = [];
  try {
    for (const source of await runtime.sources()) {
      const actions = (Object.keys(ACTIONS) as Action[]).filter((action) => source.capabilities[action]);
      if (actions.length === 0) continue;
      // The oldest incidents awaiting triage: breached, so serve has announced them.
      const aging = await dlpBot(['aging', source.id, '--json', '--limit', String(actions.length)]);
      const rows: { id: string }[] = JSON.parse(aging.stdout);
      for (const [i, action] of actions.entries()) {
        const id = rows[i]?.id as string;
        const before = await shown(`${source.id}:${id}`);
        const result = await ACTIONS[action](source, id);
        expect(result, `${action} on ${source.id}:${id}`).toEqual({ ok: true, value: { recordedIn: 'vendor' } });
        triaged.push({ source: source.id, id, action, before });
      }
    }
  } finally {
    await runtime.close();
  }
  return triaged;
}

function expectTriaged(t: Triaged, now: Stored): void {
  const what = `${t.action} on ${t.source}:${t.id}`;
  if (t.action === 'assign') expect(now.assignee, what).toMatch(/analyst01|Analyst 01/i);
  if (t.action === 'falsePositive') expect(CLOSED, what).toContain(now.status);
  if (t.action !== 'note') expect(now.contentHash, what).not.toBe(t.before.contentHash);
}

/** What a false positive becomes, depending on the vendor's own vocabulary. */
const CLOSED = ['false_positive', 'dismissed', 'resolved'];

const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
};

describe('the sandbox with serve running and one-shot commands beside it', () => {
  let serve: Awaited<ReturnType<typeof serveSandbox>>;
  let triaged: Triaged[];
  const live = new Map<string, Stored>();
  let runningRecord: string;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'dlp-sandbox-state-'));
    serve = await serveSandbox();
    at.ms = T0 + 10 * MINUTE;
    triaged = await triageEveryVendor();
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('should triage every vendor whose simulator has a triage API', () => {
    const sources = new Set(triaged.map((t) => t.source));
    expect([...sources].sort()).toEqual(['paloalto', 'paloalto-published', 'skyhigh', 'symantec', 'zscaler']);
    expect(new Set(triaged.map((t) => t.action))).toEqual(new Set(['assign', 'note', 'falsePositive']));
  });

  it("should scan and show through the running serve's simulators, keeping the triage made there", async () => {
    at.ms = T0 + 20 * MINUTE;
    const scan = await dlpBot(['scan', '--full'], { DLP_BOT_LOG_LEVEL: 'info' });
    expect(scan.code, scan.stdout).toBe(0);
    // No simulators of its own: it used the ones serve recorded.
    expect(scan.stderr).toContain('sandbox: using the running serve');
    expect(scan.stderr).not.toContain('sandbox started');
    for (const t of triaged) {
      const now = await shown(`${t.source}:${t.id}`);
      expectTriaged(t, now);
      live.set(`${t.source}:${t.id}`, now);
    }
    const assigned = triaged.find((t) => t.action === 'assign' && t.source === 'symantec') as Triaged;
    const card = await dlpBot(['show', `${assigned.source}:${assigned.id}`]);
    expect(card.stdout).toMatch(/Assignee\s+(analyst01@example\.com|Analyst 01)/);
    expect(card.stdout).not.toContain('Unassigned');
    runningRecord = queryStore(storePath(), (db) =>
      db.prepare("SELECT value FROM settings WHERE key = 'sandbox.running'").pluck().get(),
    ) as string;
  });

  it('should keep the vendor state on disk without any key, snippet or matched content', () => {
    const files = readdirSync(journalDir()).sort();
    expect(files).toEqual([
      'paloalto-published.jsonl',
      'paloalto.jsonl',
      'skyhigh.jsonl',
      'symantec.jsonl',
      'zscaler.jsonl',
    ]);
    const text = files.map((f) => readFileSync(join(journalDir(), f), 'utf8')).join('');
    expect(text).toContain('analyst01@example.com');
    expect(text).not.toMatch(/PRIVATE KEY|snippet|matched/i);
    // The running record names Symphony's key file by its path, never its content.
    expect(runningRecord).toMatch(/"SYMPHONY_SANDBOX_PRIVATE_KEY":"\/[^"]+\.pem"/);
    expect(runningRecord).not.toContain('PRIVATE KEY');
  });

  it('should still show the triage after serve stopped, replayed at its own time: the next scans find nothing new', async () => {
    expect(await serve.stop()).toBe(0);
    const scan = await dlpBot(['scan', '--full'], { DLP_BOT_LOG_LEVEL: 'info' });
    expect(scan.code, scan.stdout).toBe(0);
    expect(scan.stderr).toContain('sandbox started');
    expect(scan.stderr).not.toContain('sandbox: using the running serve');
    // The same vendor state as serve's simulators served: no card updated, no incident back from the dead.
    expect(scan.stdout).toMatch(/Scan finished/);
    expect(scan.stdout).not.toMatch(/updated:|SLA breached:/);
    for (const t of triaged) expect(await shown(`${t.source}:${t.id}`)).toEqual(live.get(`${t.source}:${t.id}`));
    const again = await dlpBot(['scan', '--full', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals.intents).toBe(0);
  });

  it('should ignore the record of a serve that is no longer running', async () => {
    for (const record of [
      { ...JSON.parse(runningRecord), pid: deadPid() },
      { ...JSON.parse(runningRecord), hostname: 'another-host.example' },
    ]) {
      queryStore(storePath(), (db) =>
        db.prepare("UPDATE settings SET value = ? WHERE key = 'sandbox.running'").run(JSON.stringify(record)),
      );
      const scan = await dlpBot(['scan', '--full', '--json'], { DLP_BOT_LOG_LEVEL: 'info' });
      // Its simulators are gone: using them would fail every source.
      expect(scan.code, scan.stdout).toBe(0);
      expect(scan.stderr).toContain('the recorded dlp-bot serve is not running; ignored');
      expect(scan.stderr).toContain('sandbox started');
    }
  });

  it('should start the renewed dataset a day later with no vendor triage', async () => {
    at.ms = T0 + 25 * 60 * MINUTE;
    const scan = await dlpBot(['scan', '--full', '--json']);
    expect(scan.code).toBe(0);
    expect(existsSync(journalDir()) ? readdirSync(journalDir()) : []).toEqual([]);
    for (const t of triaged) {
      const now = await shown(`${t.source}:${t.id}`);
      expect(now.assignee === null || !/analyst01/i.test(now.assignee), `${t.source}:${t.id}`).toBe(true);
      expect(CLOSED).not.toContain(now.status);
    }
  });
});
