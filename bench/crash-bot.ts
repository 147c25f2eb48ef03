/**
 * The bot under test for the `crash` benchmark: the real `dlp-bot serve` (bin/dlp-bot.js, the compiled CLI) in its
 * own process, so it can be killed with SIGKILL at any instant and started again on the same store.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServeProcess, spawnServe } from './serve-process.js';

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

/** Starts the bot on `configPath` in `dir`; nothing is awaited. */
export const startCrashBot = (dir: string, configPath: string, env: Record<string, string>): ServeProcess =>
  spawnServe({ dir, configPath, env, stopTimeoutMs: STOP_TIMEOUT_MS });
