import { Writable } from 'node:stream';
import { runCli } from '../../src/cli.js';
import type { Timer } from '../../src/delivery/channel-pacer.js';
import type { Trigger } from '../../src/jobs/runner.js';
import type { Composition } from '../../src/main.js';
import type { AnswerDeadline, Clock } from '../../src/ports/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  constructor(
    private readonly onText?: (all: string) => void,
    readonly isTTY = false,
    readonly columns?: number,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    done();
  }
}

/**
 * Runs the real command line in this process (same parsing, runtime, store and simulators as the bin),
 * with captured output. `stop` resolves the "Ctrl-C" promise long-running commands wait on.
 */
export async function runDlpBot(
  argv: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    clock?: Clock;
    /** The send queue's time (see test/support/recording-surface.ts `createVirtualTimer`); real unless given. */
    sendTimer?: Timer;
    /** What fires serve's scheduled jobs (see test/support/manual-trigger.ts); node-cron unless given. */
    jobTrigger?: Trigger;
    /** The deadline a click is answered within (see held-deadlines.ts); real time unless given. */
    answerDeadline?: AnswerDeadline;
    stop?: Promise<void>;
    /** Called with everything printed so far, after each write (for long-running commands). */
    onStdout?: (all: string) => void;
    /** The same for stderr (log lines). */
    onStderr?: (all: string) => void;
    /** Both streams act as a terminal this many columns wide (what a person running serve sees); else pipes. */
    tty?: { columns: number };
    /** What the command line is built from; the real composition unless a test extends it (a throwaway action). */
    composition?: Composition;
  },
): Promise<CliRun> {
  const stdout = new Capture(options.onStdout, options.tty !== undefined, options.tty?.columns);
  const stderr = new Capture(options.onStderr, options.tty !== undefined, options.tty?.columns);
  const code = await runCli(argv, {
    stdout,
    stderr,
    env: { DLP_BOT_LOG_LEVEL: 'silent', ...options.env },
    cwd: options.cwd,
    clock: options.clock,
    sendTimer: options.sendTimer,
    jobTrigger: options.jobTrigger,
    answerDeadline: options.answerDeadline,
    stopRequested: options.stop ?? new Promise(() => {}),
    ...(options.composition ? { composition: options.composition } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
