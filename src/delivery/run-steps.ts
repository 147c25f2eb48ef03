import { formatIncidentRef } from '../domain/incident.js';
import type { ChatResult, MessageRef } from '../ports/index.js';
import type { PostingKey } from '../store/index.js';
import { claimingSurface, createdNothing, recordPosting, resentNotice, settleClaim } from './claims.js';
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
 * card comes up, which is after the channel's own cards in its FIFO. A card is claimed in the store as its send
 * starts and the claim is dropped with the posting's record; a claim an earlier attempt left (no answer) is
 * settled first, so its card is adopted, or sent again with a notice where the channel cannot be read back.
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

  const keyOf = (plan: Card, target: Target): PostingKey => ({
    source: plan.incident.source,
    incidentId: plan.incident.id,
    surface: target.surface.id,
    channel: target.channel,
  });

  const post = async (plan: Card, target: Target, inThread: boolean): Promise<ChatResult<MessageRef>> => {
    const claim = (threadId: string | null) => () =>
      deps.store.postClaims.claim({ ...keyOf(plan, target), threadId, claimedAt: deps.clock.now() });
    if (!inThread) return queue.post(claimingSurface(target.surface, claim(null)), target.channel, plan.card);
    const parent = await rollupFor(target);
    if (!parent.ok) return parent;
    const surface = claimingSurface(target.surface, claim(parent.value.messageId));
    const posted = await queue.post(surface, target.channel, plan.card, { inThreadOf: parent.value });
    // The thread is the roll-up's by construction, whatever the surface reports.
    return posted.ok ? { ok: true, value: { ...posted.value, threadId: parent.value.messageId } } : posted;
  };

  const record = (plan: Card, target: Target, posted: ChatResult<MessageRef>): ChatResult<MessageRef> => {
    if (!posted.ok) return posted;
    const ref: MessageRef = { surface: target.surface.id, channel: target.channel, messageId: posted.value.messageId };
    if (posted.value.threadId) ref.threadId = posted.value.threadId;
    const { source, id: incidentId } = plan.incident;
    const recorded = recordPosting(deps.store, keyOf(plan, target), ref, deps.clock.now());
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

  /**
   * A new card, unless an earlier attempt's claim turns out to be that card (`adopted`). A claim stays while the
   * platform may have created the card (no answer, a timeout, a 5xx); one whose send certainly created nothing goes.
   */
  const sendCard = async (
    plan: Card,
    target: Target,
    inThread: boolean,
  ): Promise<{ posted: ChatResult<MessageRef>; adopted: boolean }> => {
    const key = keyOf(plan, target);
    const prior = deps.store.postClaims.find(key);
    const verdict = prior ? await settleClaim(deps, target.surface, prior) : null;
    if (verdict?.kind === 'failed') return { posted: { ok: false, error: verdict.error }, adopted: false };
    if (verdict?.kind === 'adopted') return { posted: { ok: true, value: verdict.ref }, adopted: true };
    const resending = verdict?.kind === 'unverifiable';
    const posted = record(plan, target, await post(plan, target, inThread));
    if (!posted.ok) {
      // A claim this attempt made for nothing goes; one still in doubt from before stays with its notice owed.
      if (!resending && createdNothing(posted.error)) deps.store.postClaims.clear(key);
      return { posted, adopted: false };
    }
    if (resending) {
      deps.logger.warn({ ...key, reason: verdict.reason }, 'card sent again: an earlier copy may exist');
      const told = await queue.reply(target.surface, posted.value, resentNotice(formatIncidentRef(plan.incident)));
      if (!told.ok) deps.logger.warn({ ...key, err: told.error.message }, 'could not say a card was sent again');
    }
    return { posted, adopted: false };
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
    const sent = sendCard(plan, step.target, step.inThread);
    posts.set(
      key,
      sent.then((s) => s.posted),
    );
    // Once stored (or failed), later runs read the posting from the store instead.
    const { posted, adopted } = await sent.finally(() => posts.delete(key));
    if (!posted.ok) return failed(posted.error);
    // Found where an earlier send left it: brought up to date like any card already there.
    if (adopted) return update(plan, step.target, posted.value);
    summary.posted += 1;
    if (step.inThread) summary.threaded += 1;
    return 'done';
  };
}
