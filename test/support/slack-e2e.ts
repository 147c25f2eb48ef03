import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import type { Trigger } from '../../src/jobs/runner.js';
import type { Composition } from '../../src/main.js';
import type { Clock } from '../../src/ports/index.js';
import { startFakeSlack } from './fake-slack/index.js';
import type { FakeSlack, FakeSlackOptions } from './fake-slack/types.js';
import { type AuditRow, auditRowsIn, paloAltoSource, quietSchedules, startServe } from './serve-e2e.js';

export const SIGNING_SECRET = 'e2e-signing-secret';
export const CHANNEL = 'C0DLPALERTS';
export const ANALYST = { id: 'U0ANALYST', name: 'ana', real_name: 'Ana Lyst', profile: { email: 'ana@corp.example' } };
export const VIEWER = { id: 'U0VIEWER', name: 'vic', real_name: 'Vic Viewer', profile: { email: 'vic@corp.example' } };
export const ADMIN = { id: 'U0ADMIN', name: 'adm', real_name: 'Ada Admin', profile: { email: 'ada@corp.example' } };
export const BOT_USER = { id: 'U0JIRABOT', name: 'jira', real_name: 'Jira Cloud', is_bot: true };

export interface SlackBot {
  fake: FakeSlack;
  /** Where serve runs (its dlp-bot.yaml and store), and the variables that config names. */
  cwd: string;
  env: Record<string, string>;
  mode: 'http' | 'socket';
  /** The bot's HTTP receiver (`…/slack/events`); `''` in Socket Mode, where requests go down `fake.socketMode`. */
  eventsUrl: string;
  stdout(): string;
  storePath: string;
  /** Audit rows as stored, oldest first. */
  auditRows(): AuditRow[];
  stop(): Promise<number>;
  /** Stops the bot only (its exit code), leaving the fake and the simulator up to inspect; `stop()` still cleans up. */
  stopBot(): Promise<number>;
  /** What the bot logged (empty unless DLP_E2E_LOG_LEVEL is set). */
  stderr(): Promise<string>;
}

export interface SlackDeployment extends SlackBot {
  simulator: PaloAltoSimulator;
}

export interface SlackBotOptions {
  rollupAfter?: number;
  /** One clock for the bot, the fake Slack and the vendor simulator, so a test can move time (reminders, SLAs). */
  clock?: Clock;
  /** More top-level YAML lines for dlp-bot.yaml (`notices: …`, `reminders: …`). */
  config?: string[];
  slack?: Omit<FakeSlackOptions, 'users' | 'channels'>;
  mode?: 'http' | 'socket';
  /** The composition serve is built from; the real one unless a test extends it. */
  composition?: Composition;
  /** The role of anyone the config does not name (`roles.default`); viewer unless told. */
  defaultRole?: 'none' | 'viewer';
  /** What fires the scheduled jobs (see manual-trigger.ts); node-cron unless given. */
  jobTrigger?: Trigger;
}

/**
 * A real `dlp-bot serve` (in this process) with Slack in HTTP mode (default) or Socket Mode against the fake
 * Slack Web API, and the Palo Alto simulator as the vendor: the whole path a team's click takes, on loopback only.
 * In Socket Mode the bot gets `SLACK_APP_TOKEN` and is ready once the fake has greeted its connection.
 */
export async function startSlackDeployment(
  options: SlackBotOptions & { incidents?: number } = {},
): Promise<SlackDeployment> {
  const simulator = await startPaloAltoSimulator({
    seed: 42,
    incidents: options.incidents ?? 40,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const bot = await startSlackBot({ ...options, ...paloAltoSource(simulator) }).catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });
  return {
    ...bot,
    simulator,
    async stop() {
      const code = await bot.stop();
      await simulator.close().catch(() => undefined);
      return code;
    },
  };
}

/**
 * The same deployment around any vendor: `sources` are the YAML lines under `sources:` a user would write, `env`
 * the variables they name. The vendor runs wherever the caller started it.
 */
export async function startSlackBot(
  options: SlackBotOptions & { sources: string[]; env: Record<string, string> },
): Promise<SlackBot> {
  const mode = options.mode ?? 'http';
  const fake = await startFakeSlack({
    users: [ANALYST, VIEWER, ADMIN, BOT_USER],
    channels: [{ id: CHANNEL, name: 'dlp-alerts' }],
    rateLimit: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.slack,
  });
  const env = {
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: fake.appToken } : {}),
    ...options.env,
  };
  const serve = await startServe({
    prefix: 'dlp-slack-e2e-',
    yaml: [
      'store: { path: ./dlp-bot.sqlite }',
      `notify: { rollupAfter: ${options.rollupAfter ?? 50} }`,
      'roles:',
      `  default: ${options.defaultRole ?? 'viewer'}`,
      `  analyst: [${ANALYST.id}]`,
      `  admin: [${ADMIN.profile.email}]`,
      'chat:',
      '  console: { enabled: false }',
      '  slack:',
      `    mode: ${mode}`,
      '    port: 0',
      `    apiUrl: ${fake.apiUrl}`,
      `    defaultChannel: ${CHANNEL}`,
      `    teamIds: [${fake.identity.teamId}]`,
      '    postsPerSecond: 50',
      ...(options.config ?? []),
      ...quietSchedules(options.config),
      'sources:',
      ...options.sources,
    ],
    env,
    jobTrigger: options.jobTrigger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.composition ? { composition: options.composition } : {}),
    ...(mode === 'socket' ? { ready: fake.socketMode.waitForConnection({ timeoutMs: 15_000 }).then(() => '') } : {}),
  }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  return {
    fake,
    cwd: serve.cwd,
    env,
    mode,
    eventsUrl: serve.url,
    storePath: serve.storePath,
    stdout: serve.stdout,
    auditRows: () => auditRowsIn(serve.storePath),
    stderr: async () => (await serve.exited).stderr,
    async stopBot() {
      return await serve.stop();
    },
    async stop() {
      const code = await serve.stop();
      await fake.close().catch(() => undefined);
      return code;
    },
  };
}

/** Polls every `pollMs` until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 8_000,
  pollMs = 10,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Between two looks that must see the same count before it counts as settled: longer than one post takes. */
export const SETTLE_POLL_MS = 25;

/** Waits until the scan at start has posted all its cards in `CHANNEL` (the count stops growing). */
export async function firstPostsSettled(bot: SlackBot): Promise<void> {
  let last = -1;
  await eventually(
    () => {
      const count = bot.fake.messages(CHANNEL, { topLevelOnly: true }).length;
      const settled = count > 0 && count === last && /Scan finished/.test(bot.stdout());
      last = count;
      return settled;
    },
    'the first breach posts',
    undefined,
    SETTLE_POLL_MS,
  );
}
