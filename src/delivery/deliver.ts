import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { ChatResult, ChatSurface, MessageRef } from '../ports/index.js';
import { DEFAULT_LEASE_MS, type OutboxRow } from '../store/index.js';
import { updateDirectMessages } from './direct-updates.js';
import { type PlanDeps, planDelivery } from './plan.js';
import { createRollupPlan } from './rollup.js';
import { createStepRunner, type Outcome } from './run-steps.js';
import { createSendQueue, type SendQueue } from './send-queue.js';

export type { Target } from './routes.js';

export interface DeliveryDeps extends PlanDeps {
  logger: Logger;
  /**
   * Where messages wait for their channel's rate limit. Share one with the click handlers so a person's
   * update goes ahead of a delivery backlog; without one, each run paces on its own.
   */
  queue?: SendQueue;
  /** `notify.rollupAfter`: new cards per channel and run before the rest go into a roll-up thread. */
  rollupAfter?: number;
  /** A run started for a click: its updates go ahead of bulk updates as well as new posts. */
  urgent?: boolean;
  /** The surfaces whose reminder and escalation DMs follow their incident's card; omitted, DMs are left as sent. */
  surfaces?: readonly ChatSurface[];
  /** Shared by every run on this store (see InFlight); omitted, this run assumes it is the only one. */
  inFlight?: InFlight;
  /** Who leases the rows this run sends (the process run's instance id); omitted, a token of this run's own. */
  holder?: string;
}

export interface DeliverySummary {
  delivered: number;
  /** New cards, as channel messages or in a roll-up thread. */
  posted: number;
  /** Of `posted`, the cards that went into a roll-up thread. */
  threaded: number;
  /** Roll-up messages. */
  rollups: number;
  /** Card updates (each with its thread reply), one per row and channel. */
  updated: number;
  /** Reminder and escalation DMs updated to their incident's card (no thread reply). */
  directUpdated: number;
  retrying: number;
  dead: number;
  /** 429 answers from the chat platforms during the run; every one was waited out or handed to the outbox. */
  rateLimited: number;
}

export const DEFAULT_ROLLUP_AFTER = 20;
const MAX_ATTEMPTS = 8;

/**
 * What delivery runs that overlap share (a click triggers a run while a long backlog is still being sent): the rows
 * being worked on, which no other run may pick up, and the cards being posted, which a later row must update rather
 * than post a second time. The composition root keeps one per store; a lone run gets its own.
 */
export interface InFlight {
  rows: Set<number>;
  posts: Map<string, Promise<ChatResult<MessageRef>>>;
}

export const createInFlight = (): InFlight => ({ rows: new Set(), posts: new Map() });

/** Backoff for a failed delivery: 30 s, 1 min, 2 min … capped at 30 min, unless the platform said when. */
function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/**
 * Drains due outbox rows: the first announcement of an incident in a channel posts its card; anything later
 * updates that same message and adds one short thread reply. A rescan never reposts. Postings are written as
 * soon as the platform accepted a post and each row is settled as soon as all its channels are done, so a crash
 * mid-run re-sends updates. A card whose send was in flight may exist unrecorded: its claim (see claims.ts) makes
 * the next attempt look for it before posting, and a card sent again unchecked says so in its thread.
 */
export async function deliverOutbox(deps: DeliveryDeps, limit = 5_000): Promise<DeliverySummary> {
  const summary: DeliverySummary = {
    delivered: 0,
    posted: 0,
    threaded: 0,
    rollups: 0,
    updated: 0,
    directUpdated: 0,
    retrying: 0,
    dead: 0,
    rateLimited: 0,
  };
  const queue = deps.queue ?? createSendQueue({ logger: deps.logger });
  const rateLimitedBefore = queue.rateLimited;
  const inFlight = deps.inFlight ?? createInFlight();
  const holder = deps.holder ?? `run-${randomUUID()}`;
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + DEFAULT_LEASE_MS);
  // Leased before anything is sent, so another process on this store never sends the same row.
  const rows = deps.store.outbox.lease(holder, now, leaseUntil, limit).filter((row) => !inFlight.rows.has(row.id));
  for (const row of rows) inFlight.rows.add(row.id);
  const rollups = createRollupPlan(deps.rollupAfter ?? DEFAULT_ROLLUP_AFTER);
  const planned = planDelivery(deps, rows, rollups, (key) => inFlight.posts.has(key));
  const run = createStepRunner(deps, queue, rollups, summary, inFlight.posts);
  // Every row's steps are queued synchronously, in outbox order, before the first one is awaited.
  const cards = Promise.all(
    planned.map(async (plan) => {
      let settled = false;
      try {
        if (plan.dropped) {
          deps.logger.info(
            { outboxId: plan.row.id, source: plan.row.source, kind: plan.row.kind },
            'announcement dropped: source no longer configured',
          );
        }
        const outcomes = plan.dropped ? [] : await Promise.all(plan.steps.map((step) => run(plan, step)));
        settle(deps, holder, plan.row, outcomes, summary);
        settled = true;
      } finally {
        inFlight.rows.delete(plan.row.id);
        if (!settled) deps.store.outbox.release(holder, [plan.row.id]);
      }
    }),
  );
  // Queued after the channel steps; their outcome never settles a row (see updateDirectMessages).
  const directs = updateDirectMessages(deps, queue, planned);
  await cards;
  summary.directUpdated = await directs;
  summary.rateLimited = queue.rateLimited - rateLimitedBefore;
  if (summary.rateLimited > 0) {
    deps.logger.info({ rateLimited: summary.rateLimited }, 'delivery run was rate-limited and waited as told');
  }
  return summary;
}

function settle(
  deps: DeliveryDeps,
  holder: string,
  row: OutboxRow,
  outcomes: Outcome[],
  summary: DeliverySummary,
): void {
  const failure = outcomes.find((o) => o !== 'done');
  if (outcomes.some((o) => o !== 'done' && o.stopped)) {
    // A stop is no failed attempt: the row goes back as it was, and the next start sends it without extra backoff.
    deps.store.outbox.release(holder, [row.id]);
    deps.logger.info({ outboxId: row.id, kind: row.kind }, 'announcement returned to the outbox unsent: stopping');
  } else if (!failure) {
    deps.store.outbox.markDelivered(row.id, deps.clock.now());
    summary.delivered += 1;
  } else if (row.attempts + 1 >= MAX_ATTEMPTS) {
    deps.store.outbox.markDead(row.id, failure.error);
    summary.dead += 1;
    deps.logger.error({ outboxId: row.id, kind: row.kind }, 'gave up delivering a notification');
  } else {
    const next = new Date(deps.clock.now().getTime() + retryDelayMs(row.attempts + 1, failure.retryAfterMs));
    deps.store.outbox.markRetry(row.id, failure.error, next);
    summary.retrying += 1;
  }
}
