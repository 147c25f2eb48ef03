import { reconcileClaims } from '../delivery/claims.js';
import { createDeadLetterAnnouncer } from '../delivery/dead-letters.js';
import { createInFlight, type DeliverySummary, deliverOutbox } from '../delivery/deliver.js';
import { createRouter } from '../delivery/routes.js';
import { createSendQueue, type SendQueue, type Timer } from '../delivery/send-queue.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ChatSurface, Clock, IncidentSource } from '../ports/index.js';
import type { Runtime } from './runtime.js';

export interface DeliverOptions {
  /** A run for a click: its updates overtake bulk updates and new posts. Safe while another run is going. */
  urgent?: boolean;
  /** Surfaces to leave out of this run (their rows stay queued for a later one). */
  skipSurfaces?: readonly string[];
}

export interface BotDelivery {
  queue: SendQueue;
  deliver(options?: DeliverOptions): Promise<DeliverySummary | null>;
  /** Counts `work` among the sends in progress, so a stop waits for it too. */
  track(work: Promise<unknown>): void;
  /** Settles when no delivery run or tracked send is in progress. */
  drained(): Promise<void>;
}

interface Parts {
  config: Awaited<ReturnType<Runtime['config']>>;
  sources: readonly IncidentSource[];
  policy: SlaPolicy;
  surfaces: readonly ChatSurface[];
}

/**
 * The bot's one send queue and its delivery runs. Each surface states its own pace (ChatSurface.sendRate);
 * delivery runs and clicks share the queue, so pacing and Retry-After pauses hold across runs and a click's update
 * goes ahead of a backlog in its channel. Every run in progress (a scan's, the retry timer's, a click's) is
 * tracked, so a stop can wait for each one.
 */
export interface BotDeliveryDeps {
  clock: Clock;
  logger: Logger;
  /** The send queue's time; real unless a test injects a virtual one. */
  timer?: Timer;
}

export function createBotDelivery(runtime: Runtime, parts: Parts, deps: BotDeliveryDeps): BotDelivery {
  const { config, sources, policy, surfaces } = parts;
  const { clock, logger } = deps;
  const store = runtime.store();
  const queue = createSendQueue({ logger, telemetry: runtime.telemetry, signal: runtime.signal, timer: deps.timer });
  const inFlight = createInFlight();
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
  };
  const info = new Map(sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  const actions = runtime.actions();
  const announceDeadLetters = createDeadLetterAnnouncer({
    store,
    queue,
    logger,
    adminChannels: config.ops.adminChannels,
  });

  let reconciled: Promise<unknown> | null = null;
  const deliver = async (options: DeliverOptions = {}): Promise<DeliverySummary | null> => {
    const targets = surfaces.filter((s) => !options.skipSurfaces?.includes(s.id));
    if (targets.length === 0) return null;
    // Cards left in doubt by an earlier process are settled once, before this one posts anything (see claims.ts).
    reconciled ??= reconcileClaims({ store, clock, logger }, surfaces).catch((error: unknown) =>
      logger.error({ err: error }, 'could not reconcile cards in doubt; each is looked for before it is sent'),
    );
    const delivered = reconciled.then(() =>
      deliverOutbox({
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
        holder: runtime.instanceId,
        ...(options.urgent ? { urgent: true } : {}),
      }),
    );
    // Dead letters are announced after the run that gave them up; a stop waits for both.
    const run = delivered.then(async (summary) => {
      await announceDeadLetters(targets).catch((error: unknown) =>
        logger.error({ err: error }, 'announcing notifications given up failed'),
      );
      return summary;
    });
    track(run);
    return run;
  };

  return {
    queue,
    deliver,
    track,
    async drained() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
