/**
 * The bot under test for the `clicks` benchmark: the real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI)
 * in its own process, configured by a dlp-bot.yaml in a temporary directory. Only the bot runs there, so the
 * acks it sends are not delayed by the fake Slack, the simulator or the clicker, which share this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Enough of the bot's log to explain a failed start or a failed click. */
const STDERR_TAIL_CHARS = 16_000;

export interface BotConfig {
  dir: string;
  fakeApiUrl: string;
  channel: string;
  /** The fake Slack's workspace: the one the bot serves (`chat.slack.teamIds`). */
  teamId: string;
  analysts: readonly string[];
  source: { baseUrl: string; tokenUrl: string; tsgId: string };
  connections: number | undefined;
}

export interface BotProcess {
  /** `http://127.0.0.1:<port>/slack/events` */
  eventsUrl: string;
  storePath: string;
  pid: number;
  /** The last part of what the bot logged (JSON lines at info). */
  stderrTail(): string;
  stop(): Promise<number | null>;
}

export const BOT_SOURCE_ID = 'pan-bench';

export function writeBotConfig(config: BotConfig): string {
  const path = join(config.dir, 'dlp-bot.yaml');
  writeFileSync(
    path,
    [
      'store: { path: ./dlp-bot.sqlite }',
      // Production's level and format; the lines go to a pipe this process drains.
      'log: { level: info, format: json }',
      // Every breach gets its own post (with buttons), however many the first scan finds.
      'notify: { rollupAfter: 500 }',
      // Only the scan at start: a scheduled one (every 15 minutes by default) must not land among the clicks.
      'scan: { schedule: "0 0 1 1 *" }',
      'roles:',
      '  default: viewer',
      `  analyst: [${config.analysts.join(', ')}]`,
      'chat:',
      '  console: { enabled: false }',
      '  slack:',
      '    mode: http',
      '    port: 0',
      `    apiUrl: ${config.fakeApiUrl}`,
      `    defaultChannel: ${config.channel}`,
      `    teamIds: [${config.teamId}]`,
      // So the first scan's posts are out in seconds; the fake Slack's rate limits are off.
      '    postsPerSecond: 50',
      'sources:',
      `  - id: ${BOT_SOURCE_ID}`,
      '    vendor: paloalto',
      `    baseUrl: ${config.source.baseUrl}`,
      `    tokenUrl: ${config.source.tokenUrl}`,
      `    tsgId: "${config.source.tsgId}"`,
      '    clientIdEnv: PAN_ID',
      '    clientSecretEnv: PAN_SECRET',
      ...(config.connections === undefined ? [] : [`    http: { connections: ${config.connections} }`]),
    ].join('\n'),
  );
  return path;
}

/**
 * Starts `node bin/dlp-bot.js serve --config <dir>/dlp-bot.yaml` and resolves once it receives requests and
 * its first scan, with the deliveries it queued, is done ("Watching …" is printed after both).
 */
export async function startBot(config: BotConfig, env: Record<string, string>): Promise<BotProcess> {
  const configPath = writeBotConfig(config);
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
  // No execArgv: a --cpu-prof given to the benchmark profiles the benchmark only. CLICKS_BOT_NODE_ARGS
  // (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") are the bot's node flags.
  const nodeArgs = (process.env.CLICKS_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--config', configPath], {
    cwd: config.dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  try {
    const eventsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`dlp-bot serve: not ready within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const check = () => {
        const url = /Receiving chat requests at (\S+)/.exec(stdout)?.[1];
        if (url && /Watching \d+ source/.test(stdout)) done(null, url);
      };
      const onExit = (code: number | null) => done(new Error(`dlp-bot serve exited (${code}) before it was ready`));
      function done(error: Error | null, url?: string) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(url as string);
      }
      child.stdout?.on('data', check);
      child.once('exit', onExit);
      check();
    });
    return {
      eventsUrl,
      storePath: join(config.dir, 'dlp-bot.sqlite'),
      pid: child.pid ?? 0,
      stderrTail: () => stderr,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- stdout ---\n${stdout}\n--- stderr (tail) ---\n${stderr}`,
    );
  }
}
