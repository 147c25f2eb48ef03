/**
 * A real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI) in its own process, for the benchmarks that need the bot
 * apart from their fakes: its output is kept, it can be stopped (SIGTERM, then SIGKILL) or killed at any instant.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Enough of the bot's log to explain a run that went wrong. */
const LOG_TAIL_CHARS = 16_000;

export interface ServeProcess {
  pid: number;
  stdout(): string;
  /** The last part of what the bot logged (JSON lines at info). */
  logTail(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** kill -9: no handler runs, nothing is flushed, the store is left as the instant found it. */
  kill(): void;
  /** SIGTERM, then SIGKILL if it has not exited in time; answers the exit code. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  dir: string;
  configPath: string;
  env: Record<string, string>;
  stopTimeoutMs: number;
  /** The bot's own node flags (a profiler's), never the benchmark's execArgv. */
  nodeArgs?: readonly string[];
}

/** Starts `node bin/dlp-bot.js serve --config <path>` in `dir`; nothing is awaited. */
export function spawnServe(options: ServeOptions): ServeProcess {
  const bin = fileURLToPath(new URL('../../bin/dlp-bot.js', import.meta.url));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...options.env, DLP_BOT_LOG_LEVEL: 'info' };
  // Nothing from the caller's environment may point the bot elsewhere.
  for (const name of [
    'SLACK_MODE',
    'SLACK_PORT',
    'SLACK_API_URL',
    'SLACK_CHANNEL',
    'SLACK_APP_TOKEN',
    'DLP_BOT_CONFIG',
  ]) {
    delete childEnv[name];
  }
  const args = [...(options.nodeArgs ?? []), bin, 'serve', '--config', options.configPath];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    log = (log + text).slice(-LOG_TAIL_CHARS);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? 0,
    stdout: () => stdout,
    logTail: () => log,
    exited,
    alive: running,
    kill: () => {
      if (running()) child.kill('SIGKILL');
    },
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      return (await exited).code;
    },
  };
}

/** What a benchmark's `dlp-bot.yaml` shares: the fake Slack it posts to and the Palo Alto simulator it scans. */
export interface ServeConfigParts {
  dir: string;
  fakeApiUrl: string;
  channel: string;
  /** The fake Slack's workspace: the one the bot serves (`chat.slack.teamIds`). */
  teamId: string;
  postsPerSecond: number;
  sourceId: string;
  source: { baseUrl: string; tokenUrl: string; tsgId: string };
  /** The benchmark's own top-level sections (notify, roles, schedules, …), as YAML lines. */
  sections: readonly string[];
  /** Extra keys of the source entry, as YAML lines indented under it. */
  sourceExtra?: readonly string[];
}

/**
 * Writes `<dir>/dlp-bot.yaml` for a benchmark's bot: its store in `dir`, production's log level and format (the
 * lines go to a pipe the benchmark drains), only the scan at start (the benchmark decides when the bot runs), Slack
 * over HTTP to the fake Web API, and one Palo Alto source whose credentials come from PAN_ID / PAN_SECRET.
 */
export function writeServeConfig(parts: ServeConfigParts): string {
  const path = join(parts.dir, 'dlp-bot.yaml');
  const lines = [
    'store: { path: ./dlp-bot.sqlite }',
    'log: { level: info, format: json }',
    'scan: { schedule: "0 0 1 1 *" }',
    ...parts.sections,
    'chat:',
    '  console: { enabled: false }',
    '  slack:',
    '    mode: http',
    '    port: 0',
    `    apiUrl: ${parts.fakeApiUrl}`,
    `    defaultChannel: ${parts.channel}`,
    `    teamIds: [${parts.teamId}]`,
    `    postsPerSecond: ${parts.postsPerSecond}`,
    'sources:',
    `  - id: ${parts.sourceId}`,
    '    vendor: paloalto',
    `    baseUrl: ${parts.source.baseUrl}`,
    `    tokenUrl: ${parts.source.tokenUrl}`,
    `    tsgId: "${parts.source.tsgId}"`,
    '    clientIdEnv: PAN_ID',
    '    clientSecretEnv: PAN_SECRET',
    ...(parts.sourceExtra ?? []),
  ];
  writeFileSync(path, lines.join('\n'));
  return path;
}
