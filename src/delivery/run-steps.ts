import type { ChatResult, MessageRef } from '../ports/index.js';
import type { DeliveryDeps, DeliverySummary } from './deliver.js';
import { channelKey, messageKey, type PlannedRow, type Step } from './plan.js';
import type { RollupPlan } from './rollup.js';
import type { Target } from './routes.js';
import { isStopped, type SendQueue } from './send-queue.js';

/** `stopped`: the queue stopped before the step was sent or confirmed, which is no failed attempt. */
export type Outcome = 'done' | { error: string; retryAfterMs?: number | undefined; stopped?: boolean };
type Card = Extract<PlannedRow, { dropped: false }>;

const failed = (error: { message: string; retryAfterMs?: number }): Outcome => ({
  error: error.message,
  retryAfterMs: error.retryAfterMs,
  ...(isStopped(error) ? { stopped: true } : {}),
});

/**
 * Sends one planned step through the queue. Posts are remembered in `posts` (shared with overlapping runs)
 * until stored, so a later row updates that card; each channel's roll-up is posted when its first threaded
 * card comes up, which is after the channel's own cards in its FIFO.
 */
export function createStepRunner(
  deps: DeliveryDeps,
  queue: SendQueue,
  rollups: RollupPlan,
  summary: DeliverySummary,
  posts: Map<string, Promise<ChatResult<MessageRef>>>,
) {
  const rollupRefs = new Map<string, Promise<ChatResult<MessageRef>>>();

  /** The channel's roll-up message, posted when its first threaded card comes up (after the channel's own cards). */
  const rollupFor = (target: Target) => {
    const key = channelKey(target);
    let ref = rollupRefs.get(key);
    if (!ref) {
      const view = rollups.view(key);
      if (!view) throw new Error(`no roll-up planned for ${target.surface.id} ${target.channel}`);
      ref = queue.post(target.surface, target.channel, view).then((posted) => {
        if (posted.ok) summary.rollups += 1;
        return posted;
      });
      rollupRefs.set(key, ref);
    }
    return ref;
  };

  const post = async (plan: Card, target: Target, inThread: boolean): Promise<ChatResult<MessageRef>> => {
    if (!inThread) return queue.post(target.surface, target.channel, plan.card);
    const parent = await rollupFor(target);
    if (!parent.ok) return parent;
    const posted = await queue.post(target.surface, target.channel, plan.card, { inThreadOf: parent.value });
    // The thread is the roll-up's by construction, whatever the surface reports.
    return posted.ok ? { ok: true, value: { ...posted.value, threadId: parent.value.messageId } } : posted;
  };

  const record = (plan: Card, target: Target, posted: ChatResult<MessageRef>): ChatResult<MessageRef> => {
    if (!posted.ok) return posted;
    const ref: MessageRef = { surface: target.surface.id, channel: target.channel, messageId: posted.value.messageId };
    if (posted.value.threadId) ref.threadId = posted.value.threadId;
    const { source, id: incidentId } = plan.incident;
    const recorded = deps.store.postings.record({
      source,
      incidentId,
      surface: ref.surface,
      channel: ref.channel,
      messageId: ref.messageId,
      threadId: ref.threadId ?? null,
      postedAt: deps.clock.now(),
    });
    const kept = recorded ? null : deps.store.postings.find(source, incidentId, ref.surface, ref.channel);
    if (!kept) return { ok: true, value: ref };
    // Another process posted this card first: the card on record stays the one people see and click.
    deps.logger.error(
      { source, incidentId, surface: ref.surface, channel: ref.channel, kept: kept.messageId, orphan: ref.messageId },
      'a card was already on record for this incident in this channel; the second one is left unrecorded',
    );
    const keptRef: MessageRef = { surface: ref.surface, channel: ref.channel, messageId: kept.messageId };
    if (kept.threadId) keptRef.threadId = kept.threadId;
    return { ok: true, value: keptRef };
  };

  const update = async (plan: Card, target: Target, ref: MessageRef): Promise<Outcome> => {
    const updated = await queue.update(target.surface, ref, plan.card, { reply: plan.reply, urgent: !!deps.urgent });
    if (!updated.ok) return failed(updated.error);
    const key = {
      source: plan.incident.source,
      incidentId: plan.incident.id,
      surface: ref.surface,
      channel: ref.channel,
    };
    deps.store.postings.touch(key, deps.clock.now());
    summary.updated += 1;
    return 'done';
  };

  return async (plan: Card, step: Step): Promise<Outcome> => {
    const key = messageKey(plan.incident, step.target);
    if (step.kind === 'update') return update(plan, step.target, step.ref);
    if (step.kind === 'after-post') {
      const posted = await posts.get(key);
      if (!posted) throw new Error('a step updates a card no earlier step of this run posts');
      return posted.ok ? update(plan, step.target, posted.value) : failed(posted.error);
    }
    const recorded = post(plan, step.target, step.inThread).then((posted) => record(plan, step.target, posted));
    posts.set(key, recorded);
    // Once stored (or failed), later runs read the posting from the store instead.
    const posted = await recorded.finally(() => posts.delete(key));
    if (!posted.ok) return failed(posted.error);
    summary.posted += 1;
    if (step.inThread) summary.threaded += 1;
    return 'done';
  };
}
