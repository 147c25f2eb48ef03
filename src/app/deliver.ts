import type { Logger } from '../log.js';
import { type DeliverySummary, deliverPending } from '../notify/deliver.js';
import { createRouter } from '../notify/routes.js';
import { createSendQueue, type SendQueue } from '../notify/send-queue.js';
import type { Clock } from '../ports.js';
import type { ActionTable } from '../triage/action-table.js';
import type { Runtime } from './runtime.js';

const queues = new WeakMap<Runtime, SendQueue>();

/**
 * The runtime's one send queue. Delivery runs and click handlers must share it: pacing and Retry-After
 * pauses then hold across runs, and a click's update goes ahead of a delivery backlog in its channel.
 */
export function sendQueueFor(runtime: Runtime, logger: Logger): SendQueue {
  let queue = queues.get(runtime);
  if (!queue) {
    // Each surface states its own pace (ChatSurface.sendRate); the terminal has none.
    queue = createSendQueue({ logger });
    queues.set(runtime, queue);
  }
  return queue;
}

export interface DeliverWithRuntimeDeps {
  clock: Clock;
  logger: Logger;
  /** The triage actions in effect, whose buttons the cards carry. */
  actions: ActionTable;
  skipSurfaces?: readonly string[];
  /** Defaults to the runtime's shared queue (`sendQueueFor`). */
  queue?: SendQueue;
  /** A run triggered by a click: its updates overtake bulk updates too. Safe while another run is going. */
  urgent?: boolean;
}

/** Delivers pending announcements to the runtime's chat surfaces (all of them unless some are skipped). */
export async function deliverWithRuntime(
  runtime: Runtime,
  deps: DeliverWithRuntimeDeps,
): Promise<DeliverySummary | null> {
  const surfaces = (await runtime.surfaces()).filter((s) => !deps.skipSurfaces?.includes(s.id));
  if (surfaces.length === 0) return null;
  const [sources, policy, config] = await Promise.all([runtime.sources(), runtime.policy(), runtime.config()]);
  const info = new Map(sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  return deliverPending({
    store: runtime.store(),
    policy,
    clock: deps.clock,
    logger: deps.logger,
    sourceInfo: (id) => info.get(id) ?? null,
    routes: createRouter(config.routes, surfaces),
    rollupAfter: config.notify.rollupAfter,
    queue: deps.queue ?? sendQueueFor(runtime, deps.logger),
    surfaces,
    actions: deps.actions,
    ...(deps.urgent ? { urgent: true } : {}),
  });
}
