import { reconcileClaims } from '../delivery/claims.js';
import { createInFlight, type DeliverySummary, deliverOutbox } from '../delivery/deliver.js';
import { createRouter } from '../delivery/routes.js';
import { createSendQueue } from '../delivery/send-queue.js';
import { nodeCronTrigger } from '../jobs/cron-trigger.js';
import { createJobRunner, type JobRequest, type JobRunner } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import type { ChatCommands, ChatListener } from '../ports/inbound.js';
import type { ChatSurface, Clock } from '../ports/index.js';
import type { ScanSummary } from '../scan/run-scan.js';
import { createChatInbound, createInboundHandlers, type InboundDeps, type TriageHandlers } from '../triage/inbound.js';

import { buildJobs, planJobs } from './jobs.js';
import type { Runtime } from './runtime.js';
import { mergeScanSummaries } from './scan-slots.js';

export type { ChatCommands, TriageHandlers };

/** Retries of failed deliveries (and anything a `scan --json` left queued) go out this often while serving. */
const DELIVERY_INTERVAL_MS = 30_000;

export interface DeliverOptions {
  /** A run for a click: its updates overtake bulk updates and new posts. Safe while another run is going. */
  urgent?: boolean;
  /** Surfaces to leave out of this run (their rows stay queued for a later one). */
  skipSurfaces?: readonly string[];
}

export interface ServeHooks {
  chat: ChatCommands;
  /** Each slot's scans merged into one summary (every source at start, every source at a schedule time). */
  onScanSlot(summary: ScanSummary): void;
}

/**
 * The running bot, built once per runtime by the composition root: one send queue, one delivery with the state
 * overlapping runs share, one job runner with every scan, notices and digest job. `serve`, a one-shot `scan`,
 * `/dlp scan` and the schedules all scan through that runner, so a scan asked for while one runs joins it.
 */
export interface Bot {
  deliver(options?: DeliverOptions): Promise<DeliverySummary | null>;
  /**
   * The click path over this bot's sources, roles and actions, for a surface of the caller's (the terminal's triage
   * commands); `onChange` is told when a click changed an incident. The chat listeners get the same.
   */
  triage(onChange: () => void): TriageHandlers;
  /** Every source's scan job now, through the runner (a run in progress is joined); their summaries merged. */
  scan(request?: JobRequest): Promise<ScanSummary>;
  /**
   * Serving: starts the chat listeners, the schedules (runs due at start: every scan, anything missed) and the
   * delivery retry timer. Resolves once the listeners are up; `firstRuns` settles when the start's runs end.
   */
  start(hooks: ServeHooks): Promise<{ listeners: ChatListener[]; firstRuns: Promise<void> }>;
  /** The earliest next schedule time of any job. */
  nextDue(): Date | null;
  /** Stops intake, the timer and the schedules; queued messages go back to the outbox; waits for runs in progress. */
  stop(): Promise<void>;
}

export async function createBot(runtime: Runtime, deps: { clock: Clock; logger: Logger }): Promise<Bot> {
  const { clock, logger } = deps;
  const [config, sources, policy, surfaces] = await Promise.all([
    runtime.config(),
    runtime.sources(),
    runtime.policy(),
    runtime.surfaces(),
  ]);
  const store = runtime.store();
  // Each surface states its own pace (ChatSurface.sendRate); delivery runs and clicks share the queue, so pacing
  // and Retry-After pauses hold across runs and a click's update goes ahead of a backlog in its channel.
  const queue = createSendQueue({ logger });
  const inFlight = createInFlight();
  const info = new Map(sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  const actions = runtime.actions();

  // Cards a stopped process left in doubt are looked for once, before this one posts anything (see claims.ts).
  let reconciled: Promise<unknown> | null = null;
  const deliver = async (options: DeliverOptions = {}): Promise<DeliverySummary | null> => {
    const targets = surfaces.filter((s: ChatSurface) => !options.skipSurfaces?.includes(s.id));
    if (targets.length === 0) return null;
    reconciled ??= reconcileClaims({ store, clock, logger }, surfaces).catch((error: unknown) =>
      logger.error({ err: error }, 'could not reconcile cards in doubt; each is looked for before it is sent'),
    );
    await reconciled;
    return deliverOutbox({
      store,
      policy,
      clock,
      logger,
      sourceInfo: (id) => info.get(id) ?? null,
      routes: createRouter(config.routes, targets),
      rollupAfter: config.notify.rollupAfter,
      queue,
      surfaces: targets,
      inFlight,
      actions,
      ...(options.urgent ? { urgent: true } : {}),
    });
  };

  let onScanSlot: ((summary: ScanSummary) => void) | null = null;
  const latest = new Map<string, ScanSummary>();
  const runner: JobRunner = createJobRunner(
    buildJobs({
      config,
      actions,
      store,
      policy,
      sources,
      surfaces,
      queue,
      logger,
      clock,
      deliver,
      onScan: (summary) => onScanSlot?.(summary),
      scanned: (job, summary) => latest.set(job, summary),
    }),
    { store, clock, logger, trigger: nodeCronTrigger(logger) },
  );
  const scanJobs = planJobs(config)
    .filter((job) => job.kind === 'scan' && runner.names().includes(job.name))
    .map((job) => job.name);

  let listeners: ChatListener[] = [];
  let timer: NodeJS.Timeout | undefined;

  const inboundDeps = (onChange: () => void): InboundDeps => ({
    store,
    sources: new Map(sources.map((source) => [source.id, source])),
    policy,
    roles: config.roles,
    identity: config.identity,
    actions,
    clock,
    logger,
    onChange,
  });
  const triageHandlers: Bot['triage'] = (onChange) => createInboundHandlers(inboundDeps(onChange));

  const listen = async (chat: ChatCommands): Promise<ChatListener[]> => {
    const inbound = surfaces.filter((s) => s.listen);
    if (inbound.length === 0) return [];
    // A click's message update must not wait for the next scheduled run, nor behind a backlog in its channel.
    const onChange = () => {
      deliver({ urgent: true }).catch((error: unknown) =>
        logger.error({ err: error }, 'delivery after a click failed'),
      );
    };
    // Clicks and `/dlp` pass one gate: the role, the surface's own refusal and the audit row.
    const handlers = createChatInbound(inboundDeps(onChange), chat);
    const started: ChatListener[] = [];
    try {
      for (const surface of inbound) {
        const listener = await surface.listen?.(handlers);
        if (listener) started.push(listener);
      }
    } catch (error) {
      await Promise.allSettled(started.map((l) => l.stop()));
      throw error;
    }
    return started;
  };

  return {
    deliver,
    triage: triageHandlers,
    async scan(request = {}) {
      for (const name of scanJobs) latest.delete(name);
      const slot = clock.now();
      await Promise.all(scanJobs.map((name) => runner.runNow(name, request, slot)));
      const missing = scanJobs.filter((name) => !latest.has(name));
      if (missing.length > 0) throw new Error(`${missing.join(', ')} did not finish; see the log`);
      return mergeScanSummaries(scanJobs.flatMap((name) => latest.get(name) ?? []));
    },
    async start(hooks) {
      onScanSlot = hooks.onScanSlot;
      listeners = await listen(hooks.chat);
      timer = setInterval(() => {
        deliver().catch((error: unknown) => logger.error({ err: error }, 'delivery failed'));
      }, DELIVERY_INTERVAL_MS);
      return { listeners, firstRuns: runner.start() };
    },
    nextDue: () => runner.nextDue(),
    async stop() {
      clearInterval(timer);
      await Promise.allSettled(listeners.map((listener) => listener.stop()));
      // Queued messages go back to the outbox for the next start instead of holding the shutdown.
      queue.close();
      await runner.stop();
    },
  };
}
