/**
 * The bot under test for the `crash` benchmark: the real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI) in its
 * own process, so it can be killed with SIGKILL at any instant and started again on the same store.
 */
import { type ServeProcess, spawnServe, writeServeConfig } from './serve-process.js';

export type { ServeProcess } from './serve-process.js';

const STOP_TIMEOUT_MS = 15_000;

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

export const BOT_SOURCE_ID = 'pan-crash';

export function writeCrashConfig(config: CrashBotConfig): string {
  return writeServeConfig({
    ...config,
    sourceId: BOT_SOURCE_ID,
    sections: [
      `notify: { rollupAfter: ${config.rollupAfter} }`,
      'notices: { schedule: "0 0 1 1 *" }',
      'digest: { enabled: false }',
    ],
  });
}

/** Starts the bot on `configPath` in `dir`; nothing is awaited. */
export const startCrashBot = (dir: string, configPath: string, env: Record<string, string>): ServeProcess =>
  spawnServe({ dir, configPath, env, stopTimeoutMs: STOP_TIMEOUT_MS });
