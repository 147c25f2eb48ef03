import { userInfo } from 'node:os';
import { renderView } from '../adapters/chat/console/render.js';
import type { CommandContext, CommandResult, CommandSpec } from '../commands/command.js';
import { COMMANDS } from '../commands/index.js';
import { parseCommand, usageLine } from '../commands/parse.js';
import { ConfigInvalidError } from './app/config-error.js';
import type { Runtime } from './app/runtime.js';
import { StartupError } from './app/startup-error.js';
import { extractConfigFlag, extractVerboseFlag, packageVersion, VERSION_FLAGS } from './cli-args.js';
import type { Env } from './config/schema.js';
import type { Timer } from './delivery/channel-pacer.js';
import type { Trigger } from './jobs/runner.js';
import type { Logger, LogLevel } from './log.js';
import type { Composition } from './main.js';
import { type AnswerDeadline, type Clock, systemClock } from './ports/index.js';
import type { View } from './views/view.js';

const PROGRAM = 'dlp-bot';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Env;
  cwd: string;
  clock?: Clock;
  /** The send queue's time (its pace and Retry-After pauses); the real one unless a test injects a virtual one. */
  sendTimer?: Timer;
  /** What fires serve's scheduled jobs; node-cron unless a test fires them itself. */
  jobTrigger?: Trigger;
  /** The deadline a surface answers a click within (Teams' invoke); real time unless a test expires it itself. */
  answerDeadline?: AnswerDeadline;
  /** Resolves when the user asks to stop; defaults to SIGINT/SIGTERM. */
  stopRequested?: Promise<void>;
  composition?: Composition;
}

function signalStop(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      // A second Ctrl-C or SIGTERM means "now": do not wait for the grace period to run out.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * What running a command needs beyond parsing it: the composition root (every adapter and surface), config
 * loading, logging and the runtime. Loaded only once the command line parsed, so `--help`, `--version` and a
 * usage error never pay for them.
 */
async function loadCommandDeps(io: CliIo) {
  const [main, config, log, runtime] = await Promise.all([
    io.composition ? null : import('./main.js'),
    import('./config/load.js'),
    import('./log.js'),
    import('./app/runtime.js'),
  ]);
  const composition = io.composition ?? (main as NonNullable<typeof main>).composition;
  return { composition, ...config, ...log, ...runtime };
}

/** Runs one command line and returns the exit code: 0 ok, 1 a failure the command reported, 2 bad input. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const commands = io.composition?.commands ?? COMMANDS;
  const color = io.stdout.isTTY === true;
  const render = (view: View) => renderView(view, { color, width: io.stdout.columns ?? 100 });
  const { verbose, rest: argvRest } = extractVerboseFlag(argv);
  const extracted = extractConfigFlag(argvRest);
  if (extracted.error) {
    io.stderr.write(`${PROGRAM}: ${extracted.error}\n`);
    return 2;
  }
  if (VERSION_FLAGS.includes(extracted.rest[0] ?? '')) {
    io.stdout.write(`${PROGRAM} ${packageVersion()}\n`);
    return 0;
  }
  const parsed = parseCommand(commands, extracted.rest, PROGRAM, 'cli');
  if (parsed.kind === 'help') {
    io.stdout.write(render(parsed.view));
    return 0;
  }
  if (parsed.kind === 'usage_error') {
    io.stderr.write(`${PROGRAM}: ${parsed.message}\nUsage: ${parsed.usage}\n`);
    return 2;
  }
  return runCommand(parsed.spec, parsed.args, { io, commands, render, verbose, configFlag: extracted.configFlag });
}

async function runCommand(
  spec: CommandSpec,
  args: unknown,
  cli: {
    io: CliIo;
    commands: readonly CommandSpec[];
    render: (view: View) => string;
    verbose: boolean;
    configFlag: string | undefined;
  },
): Promise<number> {
  const { io, render, verbose } = cli;
  const deps = await loadCommandDeps(io);
  const { adapters, surfaces } = deps.composition;
  const clock = io.clock ?? systemClock;
  // Cards and progress views go out before the final result; a blank line keeps that result apart.
  let wroteOutput = false;
  const stdout = {
    isTTY: io.stdout.isTTY,
    // Read when printing: a terminal can be resized while serve runs.
    get columns() {
      return io.stdout.columns;
    },
    write: (text: string) => {
      wroteOutput = true;
      return io.stdout.write(text);
    },
  };
  const surfaceDefinitions = surfaces(stdout);
  const load = deps.loadConfig(
    { flag: cli.configFlag, env: io.env, cwd: io.cwd },
    adapters.map((a) => a.config),
    surfaceDefinitions.map((s) => s.config),
  );
  const logSettings = load.kind === 'file' ? load.config.log : { format: 'auto' as const };
  const envLevel = io.env.DLP_BOT_LOG_LEVEL || undefined;
  if (envLevel !== undefined && !deps.LOG_LEVELS.includes(envLevel as LogLevel)) {
    const levels = `${deps.LOG_LEVELS.slice(0, -1).join(', ')} or ${deps.LOG_LEVELS.at(-1)}`;
    io.stderr.write(`${PROGRAM}: DLP_BOT_LOG_LEVEL is "${envLevel}"; expected ${levels}\n`);
    return 2;
  }
  const level = deps.chooseLogLevel({
    env: envLevel as LogLevel | undefined,
    configured: logSettings.level,
    verbose,
    serve: spec.name === 'serve',
    terminal: io.stderr.isTTY === true,
  });
  const correlationId = deps.newCorrelationId('cmd');
  // `serve` runs many operations (jobs, clicks, chat commands) and each binds its own correlationId; binding one here
  // too would write the key twice per line, which log shippers such as Elasticsearch refuse. Its own lines get runId.
  const logger = deps
    .createLogger({ level, format: logSettings.format, destination: io.stderr })
    .child(spec.name === 'serve' ? { runId: correlationId } : { correlationId });
  let runtime: Runtime | undefined;
  let progressShown = false;
  const ctx: CommandContext = {
    invoker: { surface: 'cli', userId: safeUsername(), display: safeUsername(), email: null, role: 'admin' },
    clock,
    logger,
    correlationId,
    adapters,
    commands: cli.commands,
    runtime: () => {
      runtime ??= deps.createRuntime({
        adapters,
        actions: deps.composition.actions,
        surfaces: surfaceDefinitions,
        load,
        env: io.env,
        cwd: io.cwd,
        logger,
        clock,
        sendTimer: io.sendTimer,
        jobTrigger: io.jobTrigger,
        answerDeadline: io.answerDeadline,
      });
      return runtime;
    },
    progress: (line) => {
      if (io.stderr.isTTY !== true) return;
      io.stderr.write(line === null ? (progressShown ? '\r\u001b[K' : '') : `\r\u001b[K${line}`);
      progressShown = line !== null;
    },
    print: (view) => stdout.write(`${wroteOutput ? '\n' : ''}${render(view)}`),
    stopRequested: io.stopRequested ?? signalStop(),
    cwd: io.cwd,
    verbose,
  };
  try {
    const result: CommandResult = await spec.run(args, ctx);
    const json = (args as { json?: boolean }).json === true;
    if (wroteOutput && result.output === undefined && !json) io.stdout.write('\n');
    writeResult(result, json, io, render);
    return result.exitCode ?? 0;
  } catch (error) {
    return await reportFailure(error, io, correlationId, logger, spec.name);
  } finally {
    await runtime?.close();
  }
}

function writeResult(result: CommandResult, json: boolean, io: CliIo, render: (view: View) => string): void {
  if (result.output !== undefined) io.stdout.write(result.output);
  else if (json) io.stdout.write(`${JSON.stringify(result.data ?? null, null, 2)}\n`);
  else io.stdout.write(render(result.view));
}

async function reportFailure(
  error: unknown,
  io: CliIo,
  correlationId: string,
  logger: Logger,
  command: string,
): Promise<number> {
  // A StoreError means the store module is loaded already; a command that never opened the store skips it.
  const { StoreError } = await import('./store/index.js');
  if (error instanceof ConfigInvalidError) {
    const lines = error.problems.map((p) => `  ${p.path}: ${p.message}`);
    io.stderr.write(`${PROGRAM}: ${error.path} has ${error.problems.length} problem(s):\n${lines.join('\n')}\n`);
    return 2;
  }
  if (error instanceof StoreError || error instanceof StartupError) {
    io.stderr.write(`${PROGRAM}: ${error.message}\n`);
    return 1;
  }
  const bound = logger.bindings().correlationId !== undefined;
  logger.error({ err: error, command, ...(bound ? {} : { correlationId }) }, 'command failed unexpectedly');
  io.stderr.write(
    `${PROGRAM}: ${command} failed unexpectedly (correlation id ${correlationId}); details are in the log.\n`,
  );
  return 1;
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export { usageLine };
