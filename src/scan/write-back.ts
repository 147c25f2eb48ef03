import { performance } from 'node:perf_hooks';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { IncidentSource, WriteBackResult } from '../ports/index.js';
import type { AuditEvent, Store } from '../store/index.js';

export interface WriteBackOutcome {
  written: number;
  skipped: number;
  error: { code: string; message: string } | null;
  /** `performance.now()` when the vendor answered, before the bot's own records of it; null without a call. */
  answeredAt: number | null;
}

export interface WriteBackContext {
  now: Date;
  scanId: string;
  logger: Logger;
  policy: Pick<SlaPolicy, 'windowHours'>;
}

/** Outcomes for incidents not stored yet when they were written (before the listing): remembered once it stores them. */
export interface UnstoredOutcomes {
  written: string[];
  skipped: string[];
}

/**
 * Marks newly breached incidents in the vendor (status and/or note) for sources configured to: the whole pending
 * backlog in one call, which the adapter batches and caps as its vendor and config require. Each incident is
 * marked once: what was written or deliberately skipped is remembered; what was not reached is retried next scan.
 * Each written incident gets its own audit row and its new status in the store, in the transaction that records
 * the write, so `history` and `show` tell it at once.
 */
export async function writeBackBreaches(
  store: Store,
  source: IncidentSource,
  context: WriteBackContext,
): Promise<WriteBackOutcome> {
  const outcome: WriteBackOutcome = { written: 0, skipped: 0, error: null, answeredAt: null };
  if (!source.capabilities.writeBack || !source.writeBack) return outcome;
  const pending = store.writeBacks.pending(source.id);
  if (pending.length === 0) return outcome;
  const result = await source.writeBack(
    pending.map((c) => ({
      id: c.id,
      createdAt: c.createdAt,
      status: c.status,
      slaHours: context.policy.windowHours({ source: source.id, severity: c.severity, policy: c.policy }),
    })),
  );
  const answeredAt = performance.now();
  if (!result.ok) {
    failed(store, source.id, context, pending.length, result.error);
    return { ...outcome, error: { code: result.error.code, message: result.error.message } };
  }
  recordWriteBack(store, source.id, context, result.value);
  const { written, skipped, failure } = result.value;
  if (failure) failed(store, source.id, context, pending.length - written.length - skipped.length, failure);
  return {
    written: written.length,
    skipped: skipped.length,
    error: failure ? { code: failure.code, message: failure.message } : null,
    answeredAt,
  };
}

/** Audit rows and stored status at once; returns the outcomes of incidents not stored yet, for {@link rememberUnstored}. */
export function recordWriteBack(
  store: Store,
  source: string,
  context: Pick<WriteBackContext, 'now' | 'scanId'>,
  result: WriteBackResult,
): UnstoredOutcomes {
  const { written, skipped, marked } = result;
  const detail: Record<string, string> = marked ? { status: marked.rawStatus } : {};
  return store.transaction(() => {
    const unstored = {
      written: store.writeBacks.record(source, written, 'written', context.now),
      skipped: store.writeBacks.record(source, skipped, 'skipped', context.now),
    };
    if (marked) {
      for (const id of written) store.incidents.setStatus({ source, id }, marked.status, marked.rawStatus, context.now);
    }
    store.audit.appendMany([
      ...written.map((id) => auditEvent(source, context, id, 'ok', detail)),
      auditEvent(source, context, null, 'ok', { written: written.length, skipped: skipped.length }),
    ]);
    return unstored;
  });
}

/** After the listing stored them: what an earlier write-back did to them, so each is marked once. */
export function rememberUnstored(store: Store, source: string, at: Date, unstored: UnstoredOutcomes): void {
  store.transaction(() => {
    store.writeBacks.record(source, unstored.written, 'written', at);
    store.writeBacks.record(source, unstored.skipped, 'skipped', at);
  });
}

/**
 * A failure is one row with the count it left pending, not a row per incident: the same ids are retried every scan
 * until the vendor answers, and a row per id per retry would bury each incident's history under repeats.
 */
function failed(
  store: Store,
  source: string,
  context: WriteBackContext,
  pending: number,
  error: { code: string; message: string },
): void {
  context.logger.warn({ code: error.code, pending }, 'write-back of breaches failed; retried next scan');
  store.audit.append(auditEvent(source, context, null, 'failed', { pending, error: error.code }));
}

function auditEvent(
  source: string,
  context: { now: Date; scanId: string },
  incidentId: string | null,
  outcome: 'ok' | 'failed',
  detail: Record<string, string | number>,
): AuditEvent {
  return {
    at: context.now,
    actor: 'system',
    surface: 'scheduler',
    action: 'sla.write_back',
    source,
    incidentId,
    outcome,
    correlationId: context.scanId,
    detail,
  };
}
