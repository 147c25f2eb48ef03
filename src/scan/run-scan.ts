import type { SlaPolicy } from '../domain/sla.js';
import { type Logger, newCorrelationId } from '../log.js';
import type { Clock, IncidentSource } from '../ports/index.js';
import type { Store } from '../store/index.js';
import {
  type ScanCounts,
  type ScanOptions,
  type ScanProgress,
  type SourceScanSummary,
  scanSource,
} from './scan-source.js';

export type { ScanCounts, ScanOptions, ScanProgress, SourceScanSummary };

export interface ScanDeps {
  store: Store;
  sources: readonly IncidentSource[];
  policy: SlaPolicy;
  logger: Logger;
  options: ScanOptions;
  onProgress?: (progress: ScanProgress) => void;
  /** Paces the progress log (the system clock when left out); `now` stays the instant SLAs are judged at. */
  clock?: Clock;
}

export interface ScanTotals extends ScanCounts {
  sources: number;
  failed: number;
  /** Sources whose full pass closed nothing because the vendor lost too much at once. */
  degraded: number;
}

export interface ScanSummary {
  scanId: string;
  at: Date;
  sources: SourceScanSummary[];
  totals: ScanTotals;
}

/**
 * The main job: every source in parallel, each isolated, so one vendor being down never stops the others.
 * `now` is the instant SLAs are judged against; callers pass it so tests run on a fixed clock.
 */
export async function runScan(deps: ScanDeps, now: Date): Promise<ScanSummary> {
  const scanId = newCorrelationId('scan');
  const logger = deps.logger.child({ scanId });
  logger.info({ sources: deps.sources.map((s) => s.id) }, 'scan started');
  const results = await Promise.all(
    deps.sources.map((source) =>
      scanSource(source, { ...deps, logger: logger.child({ source: source.id }) }, { now, scanId }),
    ),
  );
  for (const result of results) {
    deps.store.audit.append({
      at: now,
      actor: 'system',
      surface: 'scheduler',
      action: 'scan.source',
      source: result.source,
      incidentId: null,
      outcome: result.ok ? 'ok' : 'failed',
      correlationId: scanId,
      detail: {
        mode: result.mode,
        fetched: result.fetched,
        skipped: result.skipped,
        intents: result.intents,
        breached: result.breached,
        error: result.error?.code ?? null,
        degraded: result.degraded,
      },
    });
    const log = { ...result, error: result.error?.code ?? null };
    if (!result.ok) logger.warn({ ...log, reason: result.error?.message }, 'source scan failed');
    else if (result.degraded) {
      logger.warn(log, `${result.source} degraded: ${result.degraded}; nothing closed, the next scan is a full pass`);
    } else if (result.skipped === 0) logger.info(log, 'source scanned');
    // A skipped record is an incident nobody is told about, so a warning; counts only, since a skipped record's id
    // may be the hostile string that got it skipped.
    if (result.skipped > 0) {
      logger.warn(log, `${result.skipped} record(s) from ${result.source} skipped (malformed, or an unusable id)`);
    }
  }
  return { scanId, at: now, sources: results, totals: totalsOf(results) };
}

export function totalsOf(results: readonly SourceScanSummary[]): ScanTotals {
  const sum = (pick: (r: SourceScanSummary) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    sources: results.length,
    failed: results.filter((r) => !r.ok).length,
    degraded: results.filter((r) => r.degraded !== null).length,
    fetched: sum((r) => r.fetched),
    skipped: sum((r) => r.skipped),
    intents: sum((r) => r.intents),
    incidents: sum((r) => r.incidents),
    dueSoon: sum((r) => r.dueSoon),
    breached: sum((r) => r.breached),
    escalated: sum((r) => r.escalated),
    writtenBack: sum((r) => r.writtenBack),
    missing: sum((r) => r.missing),
  };
}
