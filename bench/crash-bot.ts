/**
 * The bot under test for the `crash` benchmark: the real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI) in its
 * own process, so it can be killed with SIGKILL at any instant and started again on the same store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STOP_TIMEOUT_MS = 15_000;
/** Enough of the bot's log to explain a trial that went wrong. */
const LOG_TAIL_CHARS = 16_000;

export interface CrashBotConfig {
  dir: string;
  fakeApiUrl: string;
  channel: string;
  /** The fake Slack's workspace: the one the bot serves (`chat.slack.teamIds`). */
  teamId: string;
  source: { baseUrl: string; tokenUrl: string; tsgId: string };
  rollupAfter: number;
  postsPerSecond: number;
}

export interface ServeProcess {
  stdout(): string;
  /** The last part of what the bot logged (JSON lines at info). */
  logTail(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** kill -9: no handler runs, nothing is flushed, the store is left as the instant found it. */
  kill(): void;
  /** SIGTERM, then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

export const BOT_SOURCE_ID = 'pan-crash';

export function writeCrashConfig(config: CrashBotConfig): string {
  const path = join(config.dir, 'dlp-bot.yaml');
  writeFileSync(
    path,
    [
      'store: { path: ./dlp-bot.sqlite }',
      'log: { level: info, format: json }',
      `notify: { rollupAfter: ${config.rollupAfter} }`,
      // Only the scan at start: the trial decides when the bot runs.
      'scan: { schedule: "0 0 1 1 *" }',
      'notices: { schedule: "0 0 1 1 *" }',
      'digest: { enabled: false }',
      'chat:',
      '  console: { enabled: false }',
      '  slack:',
      '    mode: http',
      '    port: 0',
      `    apiUrl: ${config.fakeApiUrl}`,
      `    defaultChannel: ${config.channel}`,
      `    teamIds: [${config.teamId}]`,
      `    postsPerSecond: ${config.postsPerSecond}`,
      'sources:',
      `  - id: ${BOT_SOURCE_ID}`,
      '    vendor: paloalto',
      `    baseUrl: ${config.source.baseUrl}`,
      `    tokenUrl: ${config.source.tokenUrl}`,
      `    tsgId: "${config.source.tsgId}"`,
      '    clientIdEnv: PAN_ID',
      '    clientSecretEnv: PAN_SECRET',
    ].join('\n'),
  );
  return path;
}

/** Starts `node bin/dlp-bot.js serve --config <path>` in `dir`; nothing is awaited. */
export function spawnServe(dir: string, configPath: string, env: Record<string, string>): ServeProcess {
  const bin = fileURLToPath(new URL('../../bin/dlp-bot.js', import.meta.url));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, DLP_BOT_LOG_LEVEL: 'info' };
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
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--config', configPath], {
    cwd: dir,
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
    stdout: () => stdout,
    logTail: () => log,
    exited,
    alive: running,
    kill: () => {
      if (running()) child.kill('SIGKILL');
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
