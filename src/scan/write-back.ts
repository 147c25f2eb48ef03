import type { Logger } from '../log.js';
import type { IncidentSource } from '../ports/index.js';
import type { Store } from '../store/index.js';

/** One vendor call marks at most this many (Symantec's bulk PATCH takes a list of ids). */
export const WRITE_BACK_BATCH = 200;
/** Bounds one scan's write-back work; a large first backlog is finished over the next scans. */
const MAX_BATCHES_PER_SCAN = 10;

export interface WriteBackOutcome {
  written: number;
  skipped: number;
  error: { code: string; message: string } | null;
}

/**
 * Marks newly breached incidents in the vendor (status and/or note) for sources configured to. Each
 * incident is marked once: what was written or deliberately skipped is remembered; a failure is retried on
 * the next scan. Every batch is an audit row, so the trail shows what the bot changed in the vendor.
 */
export async function writeBackBreaches(
  store: Store,
  source: IncidentSource,
  context: { now: Date; scanId: string; logger: Logger },
): Promise<WriteBackOutcome> {
  const outcome: WriteBackOutcome = { written: 0, skipped: 0, error: null };
  if (!source.capabilities.writeBack || !source.writeBack) return outcome;
  for (let round = 0; round < MAX_BATCHES_PER_SCAN; round += 1) {
    const batch = store.writeBacks.pending(source.id, WRITE_BACK_BATCH);
    if (batch.length === 0) break;
    const result = await source.writeBack(
      batch.map((c) => ({
        id: c.id,
        createdAt: c.createdAt,
        status: c.status,
        hoursWaiting: Math.max(0, Math.floor((context.now.getTime() - c.createdAt.getTime()) / 3_600_000)),
      })),
    );
    if (!result.ok) {
      outcome.error = { code: result.error.code, message: result.error.message };
      context.logger.warn(
        { code: result.error.code, batch: batch.length },
        'write-back of breaches failed; retried next scan',
      );
      audit(store, source.id, context, 'failed', { batch: batch.length, error: result.error.code });
      break;
    }
    const { written, skipped } = result.value;
    store.transaction(() => {
      store.writeBacks.record(source.id, written, 'written', context.now);
      store.writeBacks.record(source.id, skipped, 'skipped', context.now);
      audit(store, source.id, context, 'ok', { written: written.length, skipped: skipped.length });
    });
    outcome.written += written.length;
    outcome.skipped += skipped.length;
    // Ids the adapter neither wrote nor skipped stay pending; asking again in this scan would loop on them.
    if (written.length + skipped.length < batch.length) break;
  }
  return outcome;
}

function audit(
  store: Store,
  source: string,
  context: { now: Date; scanId: string },
  outcome: 'ok' | 'failed',
  detail: Record<string, string | number>,
): void {
  store.audit.append({
    at: context.now,
    actor: 'system',
    surface: 'scheduler',
    action: 'sla.write_back',
    source,
    incidentId: null,
    outcome,
    correlationId: context.scanId,
    detail,
  });
}
