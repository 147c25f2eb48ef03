/**
 * The bot under test for the `clicks` benchmark: the real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI)
 * in its own process, configured by a dlp-bot.yaml in a temporary directory. Only the bot runs there, so the
 * acks it sends are not delayed by the fake Slack, the simulator or the clicker, which share this process.
 */
import { join } from 'node:path';
import { spawnServe, writeServeConfig } from './serve-process.js';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** How often the start's output is read for the ready lines. */
const READY_POLL_MS = 50;

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
  return writeServeConfig({
    ...config,
    // So the first scan's posts are out in seconds; the fake Slack's rate limits are off.
    postsPerSecond: 50,
    sourceId: BOT_SOURCE_ID,
    sections: [
      // Every breach gets its own post (with buttons), however many the first scan finds.
      'notify: { rollupAfter: 500 }',
      'roles:',
      '  default: viewer',
      `  analyst: [${config.analysts.join(', ')}]`,
    ],
    sourceExtra: config.connections === undefined ? [] : [`    http: { connections: ${config.connections} }`],
  });
}

/**
 * Starts `node bin/dlp-bot.js serve --config <dir>/dlp-bot.yaml` and resolves once it receives requests and
 * its first scan, with the deliveries it queued, is done ("Watching …" is printed after both).
 */
export async function startBot(config: BotConfig, env: Record<string, string>): Promise<BotProcess> {
  const configPath = writeBotConfig(config);
  // No execArgv: a --cpu-prof given to the benchmark profiles the benchmark only. CLICKS_BOT_NODE_ARGS
  // (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") are the bot's node flags.
  const nodeArgs = (process.env.CLICKS_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const bot = spawnServe({ dir: config.dir, configPath, env, stopTimeoutMs: STOP_TIMEOUT_MS, nodeArgs });
  const stop = () => bot.stop();

  try {
    const eventsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`dlp-bot serve: not ready within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const poll = setInterval(() => check(), READY_POLL_MS);
      const check = () => {
        const url = /Receiving chat requests at (\S+)/.exec(bot.stdout())?.[1];
        if (url && /Watching \d+ source/.test(bot.stdout())) done(null, url);
      };
      void bot.exited.then(({ code }) => done(new Error(`dlp-bot serve exited (${code}) before it was ready`)));
      let settled = false;
      function done(error: Error | null, url?: string) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        if (error) reject(error);
        else resolve(url as string);
      }
      check();
    });
    return {
      eventsUrl,
      storePath: join(config.dir, 'dlp-bot.sqlite'),
      pid: bot.pid,
      stderrTail: () => bot.logTail(),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- stdout ---\n${bot.stdout()}\n--- stderr (tail) ---\n${bot.logTail()}`,
    );
  }
}
