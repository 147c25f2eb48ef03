import type { ConfigLoad, ConfigProblem } from '../config/load.js';
import type { Config, Env } from '../config/schema.js';
import type { Timer } from '../delivery/channel-pacer.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { RequestCounter } from '../http/counter.js';
import type { Trigger } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import type { TelemetryHub } from '../ops/telemetry-hub.js';
import type { ActionSpec, ActionTable } from '../ports/actions.js';
import type {
  AdapterDefinition,
  AnswerDeadline,
  ChatSurface,
  ChatSurfaceDefinition,
  Clock,
  IncidentSource,
  SourceInfo,
} from '../ports/index.js';
import type { Store } from '../store/index.js';
import type { Bot } from './bot.js';
import type { LockCommand, LockResult } from './instance-lock.js';
import type { OriginCheck } from './origins.js';

export interface RuntimeOptions {
  adapters: readonly AdapterDefinition[];
  /** The triage action registry (the composition root's; tests add their own); omitted, the built-in one. */
  actions?: readonly ActionSpec[];
  surfaces: readonly ChatSurfaceDefinition[];
  /** The result of `loadConfig`, done by the caller so it can configure logging first. */
  load: ConfigLoad;
  env: Env;
  /** The sandbox keeps its store under this folder; a config file's relative paths are relative to the file. */
  cwd: string;
  logger: Logger;
  clock: Clock;
  /** The send queue's time; the real one unless a test injects a virtual one, so pacing costs it no waiting. */
  sendTimer?: Timer;
  /** What fires serve's scheduled jobs; node-cron unless a test fires them itself. */
  jobTrigger?: Trigger;
  /** The deadline a surface answers a click within; real time unless a test expires it itself. */
  answerDeadline?: AnswerDeadline;
}

/** Which stored sources reads and announcements cover. */
export interface SourceScope {
  has(source: string): boolean;
  /** Sources the store holds data for that the config does not name, sorted. */
  leftOut: readonly string[];
}

/**
 * The application as configured: one store, one SLA policy, the sources and chat surfaces. Built lazily so
 * a command that only reads the store never starts simulators or opens vendor connections.
 */
export interface Runtime {
  readonly origin: { kind: 'file'; path: string } | { kind: 'sandbox' };
  /** The config file's warnings (see `configWarnings`); none for the sandbox. */
  readonly warnings: readonly ConfigProblem[];
  readonly adapters: readonly AdapterDefinition[];
  readonly counter: RequestCounter;
  /** What sources, surfaces and the bot report as they work; heard by the ops listener's /metrics when it runs. */
  readonly telemetry: TelemetryHub;
  config(): Promise<Config>;
  store(): Store;
  /** The store when its database exists (or is open already); null before dlp-bot ever ran. Creates nothing. */
  existingStore(): Store | null;
  /**
   * The config for commands that only show what would run: a file's own, or the sandbox's. With no database
   * yet, the sandbox is built over a throwaway in-memory store, so asking creates no ./data.
   */
  configWithoutStore(): Promise<Config>;
  policy(): Promise<SlaPolicy>;
  sources(): Promise<IncidentSource[]>;
  sourceInfo(sourceId: string): Promise<SourceInfo | null>;
  surfaces(): Promise<ChatSurface[]>;
  /**
   * The triage actions as the config settles them (`triage`: whether a false positive needs a reason). Needs no
   * simulators: the sandbox's config has no `triage` section.
   */
  actions(): ActionTable;
  /** The config compared with the sources' recorded origins; null when there is no database yet. Reads only. */
  originCheck(): Promise<OriginCheck | null>;
  /**
   * Before anything scans: throws a StartupError naming every configured source whose stored data came from
   * another endpoint, and records the endpoint of sources the store meets for the first time.
   */
  requireOrigins(): Promise<void>;
  /**
   * What `aging`, `mine` and `digest` cover: the sources the config names (the sandbox: all it holds), so a source
   * dropped from the config no longer counts. Opens no store that does not exist yet.
   */
  sourceScope(): SourceScope;
  /** The database path as people should read it: relative to the working folder when it is inside it. */
  readonly storeLabel: string;
  /** Lines describing the sandbox simulators (empty when a config file is used). */
  sandboxDescription(): Promise<string[]>;
  /**
   * For `serve`, before anything starts: the sandbox it builds runs its own simulators and records them, so
   * one-shot commands in the same folder use them (one sandbox state) instead of starting their own.
   */
  hostSandbox(): void;
  /**
   * The running bot over this runtime, built once: its send queue, delivery and job runner (see app/bot.ts). Loaded
   * on first use, so commands that only read the store never load the scheduler or delivery.
   */
  bot(): Promise<Bot>;
  /**
   * This process run's token: the holder of the store's instance lock, of the outbox rows it sends and of the job runs
   * it records, so what a dead process left behind is told apart from what this one is doing.
   */
  readonly instanceId: string;
  /**
   * Aborted when a stop's grace period is over: every vendor call (scans and clicks) and every chat call waiting in
   * the send queue gives up at once.
   */
  readonly signal: AbortSignal;
  abortCalls(): void;
  /**
   * Takes the store's instance lock for `command` (kept alive by a heartbeat, released by `close`), or answers who
   * holds it. A runtime holding it already answers that lock whatever the command (`/dlp scan` inside serve).
   */
  lockStore(command: LockCommand): LockResult;
  /** Stops the bot if it was built, then closes sources, simulators and the store. */
  close(): Promise<void>;
}
