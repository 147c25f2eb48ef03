import { performance } from 'node:perf_hooks';
import type { AdapterError } from '../domain/errors.js';
import type { SlaPolicy } from '../domain/sla.js';
import { type BreachCutoffs, breachCutoffs } from '../domain/sla-cutoff.js';
import type { BreachedNewCandidate, IncidentSource, SourceResult, WriteBackResult } from '../ports/index.js';
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
 * severity's breach cutoff are read (the ids alone where the cutoff is the rule, else with the fields the SLA decides
 * on), decided exactly by the bot's own SLA rules, and each batch the adapter yields is marked at once, while it
 * reads the next. Null when the source cannot or need not (no write-back, New not awaiting triage, no cutoff), or
 * when the pass failed before writing anything: the write-back after the listing then covers the same incidents.
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
  const done = store.writeBacks.recordedIds(source.id);
  const isDue = dueRule(source.id, policy, cutoffs, now);
  const writes: Promise<SourceResult<WriteBackResult>>[] = [];
  let answeredAt: number | null = null;
  let due = 0;
  let queryFailure: AdapterError | null = null;
  // Each batch is written as soon as it is decided, while the adapter reads the next and earlier writes are still
  // answered (the vendor serves them in turn, without waiting for the bot in between); the bot's own records of them
  // all follow the last answer, so recording never holds up a write.
  for await (const found of findBreachedNew(cutoffs)) {
    if (!found.ok) {
      queryFailure = found.error;
      break;
    }
    const batch = found.value.filter((row) => !done.has(row.id) && isDue(row)).sort(oldestFirst);
    if (batch.length === 0) continue;
    due += batch.length;
    const breaches = batch.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      status: 'new',
      slaHours: policy.windowHours({ source: source.id, severity: row.severity, policy: row.policy }),
      confirmedNew: true,
    }));
    writes.push(
      writeBack(breaches).then((answer) => {
        answeredAt = performance.now();
        return answer;
      }),
    );
  }
  const answers = await Promise.all(writes);
  const failed = queryFailure ?? answers.find((a) => !a.ok)?.error;
  const result = merged(answers);
  if (result.written.length === 0 && failed) {
    logger.warn({ code: failed.code }, 'write-back before the listing failed; the scan writes back after it');
    return null;
  }
  if (answers.length === 0) return { written: 0, unstored: { written: [], skipped: [] }, capped: false, answeredAt };
  const unstored = recordWriteBack(store, source.id, context, result);
  const stop = failed ?? result.failure;
  if (stop) logger.warn({ code: stop.code, written: result.written.length }, 'write-back before the listing stopped');
  const capped = !stop && result.written.length + result.skipped.length < due;
  return { written: result.written.length, unstored, capped, answeredAt };
}

/** The batches' outcomes as one, so the trail holds one summary row per scan as before; a refused batch wrote none. */
function merged(answers: readonly SourceResult<WriteBackResult>[]): WriteBackResult {
  const result: WriteBackResult = { written: [], skipped: [] };
  for (const answer of answers) {
    if (!answer.ok) continue;
    result.written.push(...answer.value.written);
    result.skipped.push(...answer.value.skipped);
    result.marked ??= answer.value.marked;
    result.failure ??= answer.value.failure;
  }
  return result;
}

/** Oldest first (ties by id), so a per-scan cap takes the longest waiting; rows of an exact query keep its order. */
function oldestFirst(a: BreachedNewCandidate, b: BreachedNewCandidate): number {
  if (a.createdAt === null || b.createdAt === null) return 0;
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The bot's own SLA judgement for a row: breached (or escalated) exactly when its deadline has passed, which is what
 * `stateAt` tests first; the deadline alone is computed, as the other thresholds do not change the answer. A row
 * without its creation time came from a query bounded by an exact cutoff, which is the rule itself.
 */
function dueRule(source: string, policy: SlaPolicy, cutoffs: BreachCutoffs, at: Date) {
  const calendar = policy.calendarFor(source);
  const now = at.getTime();
  return (row: BreachedNewCandidate): boolean => {
    if (row.createdAt === null) return cutoffs.exact;
    const windowMs = Math.round(policy.windowHours({ source, severity: row.severity, policy: row.policy }) * HOUR_MS);
    return calendar.addWorkingTime(row.createdAt, windowMs).getTime() <= now;
  };
}
