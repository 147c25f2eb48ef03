import { performance } from 'node:perf_hooks';
import type { SlaPolicy } from '../domain/sla.js';
import { breachCutoffs } from '../domain/sla-cutoff.js';
import type { BreachedNewCandidate, IncidentSource } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { recordWriteBack, type UnstoredOutcomes, type WriteBackContext } from './write-back.js';

const HOUR_MS = 3_600_000;

export interface EarlyWriteBack {
  written: number;
  /** Outcomes for incidents the listing had not stored yet; remembered once it has. */
  unstored: UnstoredOutcomes;
  /**
   * The adapter left some neither written nor skipped without a failure: its per-scan cap is spent, so the write-back
   * after the listing must not write a second cap's worth in the same scan.
   */
  capped: boolean;
  /** `performance.now()` when the vendor answered the last write, before the bot's own records of it. */
  answeredAt: number | null;
}

/**
 * The Broadcom article's job, done first: before a source's listing, the vendor's New incidents created before each
 * severity's breach cutoff are read (ids and the fields the SLA needs), decided exactly by the bot's own SLA rules,
 * and marked at once. Null when the source cannot or need not (no write-back, New not awaiting triage, no cutoff),
 * or when the pass failed: the write-back after the listing then covers the same incidents, as before.
 */
export async function writeBackBeforeListing(
  store: Store,
  source: IncidentSource,
  context: WriteBackContext & { policy: SlaPolicy },
): Promise<EarlyWriteBack | null> {
  const { policy, logger, now } = context;
  const { writeBack, findBreachedNew } = source;
  if (!source.capabilities.writeBack || !writeBack || !findBreachedNew) return null;
  if (!policy.isAwaitingTriage({ source: source.id, status: 'new' })) return null;
  const cutoffs = breachCutoffs(policy, source.id, now);
  if (Object.keys(cutoffs.bySeverity).length === 0) return null;
  const found = await findBreachedNew(cutoffs);
  if (!found.ok) {
    logger.warn({ code: found.error.code }, 'write-back before the listing failed; the scan writes back after it');
    return null;
  }
  const done = store.writeBacks.recordedIds(source.id);
  const due = found.value
    .filter((row) => !done.has(row.id) && isBreached(row, source.id, policy, now))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const none = { written: 0, unstored: { written: [], skipped: [] }, capped: false, answeredAt: null };
  if (due.length === 0) return none;
  const result = await writeBack(
    due.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      status: 'new',
      slaHours: policy.windowHours({ source: source.id, severity: row.severity, policy: row.policy }),
      confirmedNew: true,
    })),
  );
  const answeredAt = performance.now();
  if (!result.ok) {
    logger.warn({ code: result.error.code }, 'write-back before the listing failed; the scan writes back after it');
    return null;
  }
  const { written, skipped, failure } = result.value;
  const unstored = recordWriteBack(store, source.id, context, result.value);
  if (failure) logger.warn({ code: failure.code, written: written.length }, 'write-back before the listing stopped');
  const capped = !failure && written.length + skipped.length < due.length;
  return { written: written.length, unstored, capped, answeredAt };
}

/**
 * The bot's own SLA judgement for the row: breached (or escalated) exactly when its deadline has passed, which is
 * what `stateAt` tests first; the deadline alone is computed, as the other thresholds do not change the answer.
 */
function isBreached(row: BreachedNewCandidate, source: string, policy: SlaPolicy, now: Date): boolean {
  const windowMs = Math.round(policy.windowHours({ source, severity: row.severity, policy: row.policy }) * HOUR_MS);
  return policy.calendarFor(source).addWorkingTime(row.createdAt, windowMs).getTime() <= now.getTime();
}
