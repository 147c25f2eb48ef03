import { createDegradedAnnouncer } from '../delivery/degraded-sources.js';
import type { DeliverySummary } from '../delivery/deliver.js';
import { nodeCronTrigger } from '../jobs/cron-trigger.js';
import { createJobRunner, type JobRequest, type JobRunner, type Trigger } from '../jobs/runner.js';
import type { ChatCommands, ChatListener } from '../ports/inbound.js';
import type { ScanSummary } from '../scan/run-scan.js';
import { createChatInbound, createInboundHandlers, type InboundDeps, type TriageHandlers } from '../triage/inbound.js';
import { type BotDeliveryDeps, createBotDelivery, type DeliverOptions } from './bot-delivery.js';
import { type ControlServer, serveControlRequests } from './control.js';
import { realTicker } from './instance-lock.js';
import { buildJobs, planJobs } from './jobs.js';
import type { Runtime } from './runtime.js';
import { mergeScanSummaries } from './scan-slots.js';

export type { ChatCommands, DeliverOptions, TriageHandlers };

/** Retries of failed deliveries (and anything a `scan --json` left queued) go out this often while serving. */
const DELIVERY_INTERVAL_MS = 30_000;
/** After the grace, how long aborted calls get to hand their rows back; the lock's release frees what is left. */
const AFTER_ABORT_MS = 250;

/** Whether `promise` settled within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });

export interface ServeHooks {
  chat: ChatCommands;
  /** Each slot's scans merged into one summary (every source at start, every source at a schedule time). */
  onScanSlot(summary: ScanSummary): void;
  /** Whether this process holds the store's instance lock, for /readyz; until the lock exists, it is always held. */
  instanceLockHeld?: () => boolean;
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
   * Serving: starts the ops listener (when `ops.port` is set), the chat listeners, the schedules (runs due at start:
   * every scan, anything missed) and the delivery retry timer. Resolves once the listeners are up; `firstRuns`
   * settles when the start's runs end. `opsAddress` is where /livez, /readyz and /metrics answer, if anywhere.
   */
  start(hooks: ServeHooks): Promise<{ listeners: ChatListener[]; firstRuns: Promise<void>; opsAddress: string | null }>;
  /** The earliest next schedule time of any job. */
  nextDue(): Date | null;
  /**
   * Stops intake (clicks, the timer, the schedules, one-shot requests) and sends nothing new: queued messages go back
   * to the outbox as they were. Waits for runs and deliveries in progress for at most `shutdown.graceSeconds`, then
   * aborts the vendor and chat calls still in flight. Idempotent.
   */
  stop(): Promise<void>;
}

export async function createBot(
  runtime: Runtime,
  deps: BotDeliveryDeps & {
    /** What fires the scheduled jobs; node-cron unless a test fires them itself. */
    trigger?: Trigger;
  },
): Promise<Bot> {
  const { clock, logger } = deps;
  const [config, sources, policy, surfaces] = await Promise.all([
    runtime.config(),
    runtime.sources(),
    runtime.policy(),
    runtime.surfaces(),
  ]);
  const store = runtime.store();
  const { queue, deliver, track, drained } = createBotDelivery(runtime, { config, sources, policy, surfaces }, deps);
  const actions = runtime.actions();
  const announceDegraded = createDegradedAnnouncer({
    settings: store.settings,
    queue,
    logger,
    adminChannels: config.ops.adminChannels,
  });

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
      scanned: (job, summary) => {
        latest.set(job, summary);
        for (const s of summary.sources)
          runtime.telemetry.scanned(s.source, !s.ok ? 'failed' : s.degraded ? 'degraded' : 'ok', s.durationMs / 1000);
        // Tracked with the deliveries, so a stop waits for the admin message as for any other.
        track(
          announceDegraded(summary, surfaces).catch((error: unknown) =>
            logger.error({ err: error }, 'announcing a degraded source failed'),
          ),
        );
      },
    }),
    { store, clock, logger, trigger: deps.trigger ?? nodeCronTrigger(logger), holder: runtime.instanceId },
  );
  const scanJobs = planJobs(config)
    .filter((job) => job.kind === 'scan' && runner.names().includes(job.name))
    .map((job) => job.name);

  let listeners: ChatListener[] = [];
  const surfaceOf = new WeakMap<ChatListener, string>();
  let ops: { address: string; close(): Promise<void> } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let control: ControlServer | undefined;
  let stopping: Promise<void> | undefined;

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
        if (listener) {
          started.push(listener);
          surfaceOf.set(listener, surface.id);
        }
      }
    } catch (error) {
      await Promise.allSettled(started.map((l) => l.stop()));
      throw error;
    }
    return started;
  };

  const shutdown = async (): Promise<void> => {
    const { graceSeconds } = config.shutdown;
    logger.info({ graceSeconds }, 'stopping: nothing new is sent; waiting for the calls in flight');
    clearInterval(timer);
    // Intake ends first: no click, schedule, retry or one-shot request starts anything new.
    const intake = [control?.stop(), runner.stop(), ...listeners.map((listener) => listener.stop())];
    // Queued messages go back to the outbox as they were, so a paced backlog never holds the stop.
    queue.close();
    const done = Promise.allSettled([...intake, drained()]);
    if (await settlesWithin(done, graceSeconds * 1_000)) return;
    logger.warn({ graceSeconds }, 'shutdown grace is over: aborting the vendor and chat calls still in flight');
    runtime.abortCalls();
    await settlesWithin(done, AFTER_ABORT_MS);
  };

  const bot: Bot = {
    deliver,
    triage: triageHandlers,
    async scan(request = {}) {
      // A run being joined keeps the summary it already reported.
      const running = new Set(runner.status().flatMap((job) => (job.running ? [job.name] : [])));
      for (const name of scanJobs) if (!running.has(name)) latest.delete(name);
      const slot = clock.now();
      await Promise.all(scanJobs.map((name) => runner.runNow(name, request, slot)));
      const missing = scanJobs.filter((name) => !latest.has(name));
      if (missing.length > 0) throw new Error(`${missing.join(', ')} did not finish; see the log`);
      return mergeScanSummaries(scanJobs.flatMap((name) => latest.get(name) ?? []));
    },
    async start(hooks) {
      onScanSlot = hooks.onScanSlot;
      const { port } = config.ops;
      if (port !== undefined) {
        // Up before the chat listeners and the first scans, so /livez answers and /readyz says what it waits for.
        const { startOps } = await import('./ops.js');
        const scanSchedules = new Map(
          planJobs(config).flatMap((job) =>
            job.kind === 'scan' && scanJobs.includes(job.name) ? [[String(job.subject), job.schedule] as const] : [],
          ),
        );
        ops = await startOps({
          ops: { ...config.ops, port },
          store,
          clock,
          logger,
          telemetry: runtime.telemetry,
          scanSchedules,
          listeners: () =>
            listeners.map((l) => ({ surface: surfaceOf.get(l) ?? 'chat', connected: l.connected?.() ?? true })),
          instanceLockHeld: hooks.instanceLockHeld ?? (() => true),
        });
      }
      listeners = await listen(hooks.chat);
      timer = setInterval(() => {
        deliver().catch((error: unknown) => logger.error({ err: error }, 'delivery failed'));
      }, DELIVERY_INTERVAL_MS);
      control = serveControlRequests({
        store,
        holder: runtime.instanceId,
        clock,
        logger,
        ticker: realTicker,
        scan: (full) => bot.scan({ full }),
      });
      return { listeners, firstRuns: runner.start(), opsAddress: ops?.address ?? null };
    },
    nextDue: () => runner.nextDue(),
    stop() {
      // The ops listener goes last, so a probe sees the stop through to its end.
      stopping ??= shutdown().finally(() => ops?.close());
      return stopping;
    },
  };
  return bot;
}
