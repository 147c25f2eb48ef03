import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import type { Trigger } from '../../src/jobs/runner.js';
import type { Composition } from '../../src/main.js';
import type { AnswerDeadline, Clock } from '../../src/ports/index.js';
import { type CliRun, runDlpBot } from './cli.js';
import { createVirtualTimer, type VirtualTimer } from './recording-surface.js';

/** The Palo Alto simulator as a person configures it: the YAML lines under `sources:` and the variables they name. */
export function paloAltoSource(simulator: PaloAltoSimulator): { sources: string[]; env: Record<string, string> } {
  return {
    sources: [
      '  - id: pan-prod',
      '    vendor: paloalto',
      `    baseUrl: ${simulator.baseUrl}`,
      `    tokenUrl: ${simulator.tokenUrl}`,
      `    tsgId: "${simulator.credentials.tsgId}"`,
      '    clientIdEnv: PAN_ID',
      '    clientSecretEnv: PAN_SECRET',
    ],
    env: { PAN_ID: simulator.credentials.clientId, PAN_SECRET: simulator.credentials.clientSecret },
  };
}

export interface ServeRun {
  /** What `ready` resolved to; by default the chat receiver's URL serve printed. */
  url: string;
  /** The folder serve runs in, holding dlp-bot.yaml: a one-shot command run there uses the same config and store. */
  cwd: string;
  storePath: string;
  stdout(): string;
  /** Log lines so far (JSON; empty unless DLP_E2E_LOG_LEVEL or `env` sets a level). */
  stderr(): string;
  /** The send queue's virtual time: the pace and Retry-After pauses are kept in it, never waited out. */
  sendTimer: VirtualTimer;
  /** Settles when serve has exited. */
  exited: Promise<CliRun>;
  /** Asks serve to stop (the Ctrl-C path), waits for it and removes its directory; its exit code. */
  stop(): Promise<number>;
}

/**
 * Config lines that keep the wall clock out of an end-to-end test: the scan, notices and digest schedules fire once
 * a year (the scans still run at start), so a test crossing a quarter hour, five minutes or 09:00 is not joined by a
 * scheduled run it never asked for. A test that sets one of those sections itself keeps its own.
 */
export function quietSchedules(config: readonly string[] = []): string[] {
  const own = (section: string) => config.some((line) => line.startsWith(`${section}:`));
  const yearly = '"0 0 1 1 *"';
  return [
    ...(own('scan') ? [] : [`scan: { schedule: ${yearly} }`]),
    ...(own('notices') ? [] : [`notices: { schedule: ${yearly} }`]),
    ...(own('digest') ? [] : ['digest: { enabled: false }']),
  ];
}

/**
 * A real `dlp-bot serve` in this process, in a fresh directory holding `yaml` as dlp-bot.yaml (the store is
 * `./dlp-bot.sqlite`). Ready when `ready` resolves, by default when serve prints "Receiving chat requests at <url>";
 * if serve exits first, the error carries its output and the directory is removed. Its send queue runs on
 * `sendTimer` (a fresh virtual one unless given), so a backlog paced at 1.8 posts a second takes no wall-clock time.
 */
export async function startServe(options: {
  prefix: string;
  yaml: readonly string[];
  env: Record<string, string>;
  clock?: Clock;
  sendTimer?: VirtualTimer;
  /** What fires the scheduled jobs (see manual-trigger.ts); node-cron unless given. */
  jobTrigger?: Trigger;
  /** The deadline a click is answered within (see held-deadlines.ts); real time unless given. */
  answerDeadline?: AnswerDeadline;
  ready?: Promise<string>;
  composition?: Composition;
}): Promise<ServeRun> {
  const cwd = mkdtempSync(join(tmpdir(), options.prefix));
  const sendTimer = options.sendTimer ?? createVirtualTimer();
  writeFileSync(join(cwd, 'dlp-bot.yaml'), options.yaml.join('\n'));
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let out = '';
  let err = '';
  let printedUrl: (url: string) => void = () => {};
  const address = new Promise<string>((resolve) => {
    printedUrl = resolve;
  });
  const exited = runDlpBot(['serve'], {
    cwd,
    // DLP_E2E_LOG_LEVEL=debug shows the bot's log when a test needs explaining.
    env: { DLP_BOT_LOG_LEVEL: process.env.DLP_E2E_LOG_LEVEL ?? 'silent', ...options.env },
    stop: stopped,
    sendTimer,
    jobTrigger: options.jobTrigger,
    answerDeadline: options.answerDeadline,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.composition ? { composition: options.composition } : {}),
    onStderr: (all) => {
      err = all;
    },
    onStdout: (all) => {
      out = all;
      const url = /Receiving chat requests at (\S+)/.exec(all)?.[1];
      if (url) printedUrl(url);
    },
  });
  const url = await Promise.race([
    options.ready ?? address,
    exited.then((r) => {
      throw new Error(`serve exited early (${r.code}): ${r.stderr}${r.stdout}`);
    }),
  ]).catch((error: unknown) => {
    rmSync(cwd, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    cwd,
    storePath: join(cwd, 'dlp-bot.sqlite'),
    sendTimer,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      stop();
      const result = await exited;
      rmSync(cwd, { recursive: true, force: true });
      return result.code;
    },
  };
}

/**
 * Reads the bot's database while it runs. Not `readonly`: a read-only connection that cannot open the WAL's
 * shared-memory index reads the main file only and misses recent commits.
 */
export function queryStore<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface AuditRow {
  action: string;
  outcome: string;
  actor: string;
  surface: string;
  source: string | null;
  incident_id: string | null;
  correlation_id: string | null;
  detail: string;
}

/** Audit rows as stored, oldest first. */
export const auditRowsIn = (storePath: string): AuditRow[] =>
  queryStore(storePath, (db) =>
    db
      .prepare(
        'SELECT action, outcome, actor, surface, source, incident_id, correlation_id, detail FROM audit_events ORDER BY seq',
      )
      .all(),
  ) as AuditRow[];
