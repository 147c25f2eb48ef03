import type { Logger } from '../log.js';
import type { ChatResult, ChatSurface, Clock, MessageRef } from '../ports/index.js';
import type { PostClaim, PostingKey, Store } from '../store/index.js';
import { textView } from '../views/view.js';

type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

/**
 * Said in the thread of a card sent again without a way to check for the copy an earlier send may have made; it
 * names the incident because a card under a roll-up shares its thread with others.
 */
export const resentNoticeText = (incidentRef: string): string =>
  `The card for ${incidentRef} was sent again after a restart or a lost answer; an earlier copy may exist.`;
export const resentNotice = (incidentRef: string) =>
  textView(resentNoticeText(incidentRef), resentNoticeText(incidentRef));

export interface ClaimDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

/**
 * What a claim left in doubt turned out to be: the card, found and now recorded (`adopted`); no card (`absent`,
 * the claim is gone); a channel that cannot be read back (`unverifiable`: the claim stays, and the card is sent
 * again with a notice); or a failed look (`failed`: the claim stays and nothing is sent until a later attempt).
 */
export type ClaimVerdict =
  | { kind: 'adopted'; ref: MessageRef }
  | { kind: 'absent' }
  | { kind: 'unverifiable'; reason: string }
  | { kind: 'failed'; error: ChatError };

/** Answers that prove the platform created nothing (it refused, or throttled before doing anything). */
const NOTHING_CREATED: ReadonlySet<ChatError['code']> = new Set(['rate_limited', 'rejected', 'not_found']);
export const createdNothing = (error: ChatError): boolean => NOTHING_CREATED.has(error.code);

export const claimKey = (claim: PostingKey): PostingKey => ({
  source: claim.source,
  incidentId: claim.incidentId,
  surface: claim.surface,
  channel: claim.channel,
});

/** Records a posting and drops its claim in one transaction, so a crash leaves one or the other, never neither. */
export function recordPosting(store: Store, key: PostingKey, ref: MessageRef, postedAt: Date): boolean {
  return store.transaction(() => {
    const recorded = store.postings.record({
      ...key,
      messageId: ref.messageId,
      threadId: ref.threadId ?? null,
      postedAt,
    });
    store.postClaims.clear(key);
    return recorded;
  });
}

/** Reads the claim's channel back for the card its send may have created, and acts on what it finds. */
export async function settleClaim(deps: ClaimDeps, surface: ChatSurface, claim: PostClaim): Promise<ClaimVerdict> {
  const key = claimKey(claim);
  if (!surface.findPost) return { kind: 'unverifiable', reason: `${surface.id} cannot read a channel back` };
  const search = await surface.findPost({
    channel: claim.channel,
    threadId: claim.threadId ?? undefined,
    subject: { source: claim.source, id: claim.incidentId },
    since: claim.claimedAt,
  });
  if (!search.ok) return { kind: 'failed', error: search.error };
  const found = search.value;
  if (found.kind === 'unreadable') return { kind: 'unverifiable', reason: found.reason };
  if (found.kind === 'absent') {
    deps.store.postClaims.clear(key);
    return { kind: 'absent' };
  }
  recordPosting(deps.store, key, found.ref, claim.claimedAt);
  deps.logger.info(
    { source: claim.source, incidentId: claim.incidentId, surface: claim.surface, channel: claim.channel },
    'adopted a card whose send never answered, instead of posting it again',
  );
  return { kind: 'adopted', ref: found.ref };
}

export interface ClaimTally {
  inDoubt: number;
  adopted: number;
  absent: number;
  /** Left for the next delivery, which sends them again and says so in their thread. */
  unverifiable: number;
  /** Left for a later delivery, which looks again before sending. */
  failed: number;
}

/**
 * At start, before anything is posted: every card a stopped process left in doubt is looked for, so one that was
 * created is adopted (and later updates edit it) instead of posted again. Claims of surfaces not running stay.
 */
export async function reconcileClaims(deps: ClaimDeps, surfaces: readonly ChatSurface[]): Promise<ClaimTally> {
  const tally: ClaimTally = { inDoubt: 0, adopted: 0, absent: 0, unverifiable: 0, failed: 0 };
  for (const claim of deps.store.postClaims.list()) {
    const surface = surfaces.find((s) => s.id === claim.surface);
    if (!surface) continue;
    tally.inDoubt += 1;
    const verdict = await settleClaim(deps, surface, claim);
    tally[verdict.kind] += 1;
    if (verdict.kind === 'failed') {
      deps.logger.warn(
        { source: claim.source, incidentId: claim.incidentId, surface: claim.surface, err: verdict.error.message },
        'could not look for a card in doubt; it is looked for again before it is sent',
      );
    }
  }
  if (tally.inDoubt > 0) deps.logger.info({ ...tally }, 'cards in doubt after the last stop reconciled');
  return tally;
}

/** The surface, with `claim` run right before each post goes out (after the queue's wait, not when queued). */
export const claimingSurface = (surface: ChatSurface, claim: () => void): ChatSurface => ({
  ...surface,
  post(channel, view, options) {
    claim();
    return surface.post(channel, view, options);
  },
});
