import { performance } from 'node:perf_hooks';
import { CLOSED_STATUSES } from '../domain/incident.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import { type Clock, type IncidentSource, type ListWindow, systemClock } from '../ports/index.js';
import type { ScanState, Store } from '../store/index.js';
import { applyPage } from './apply-page.js';
import { DEFAULT_VANISH_GUARD, resolveDisappeared, type VanishGuard } from './disappeared.js';
import { writeBackBeforeListing } from './early-write-back.js';
import { announcesAt, knownIn } from './known-incidents.js';
import { reevaluateUnseen } from './refresh.js';
import { rememberUnstored, writeBackBreaches } from './write-back.js';

export interface ScanOptions {
  /** Every Nth scan of a source is a full pass (catches changes made in the vendor console). */
  fullResyncEvery: number;
  /** Incremental scans re-read this far behind the watermark, for records the vendor indexed late. */
  overlapMinutes: number;
  forceFull?: boolean;
  /**
   * A source still listing after this long logs its progress at info, and again at this interval (default 30 s),
   * so a long paced first pass under `serve` shows it is moving rather than stuck.
   */
  progressLogEveryMs?: number;
  /** `scan.vanishGuard`: when a full pass closes nothing on the vendor's silence (default half, at least 5). */
  vanishGuard?: VanishGuard;
}

const PROGRESS_LOG_EVERY_MS = 30_000;

export interface ScanProgress {
  source: string;
  fetched: number;
  expectedTotal: number | null;
}

/** What a scan counts, per source and in total. */
export interface ScanCounts {
  /** Records received from the vendor in this scan. */
  fetched: number;
  /** Malformed records the adapter skipped. */
  skipped: number;
  /** Announcements queued by this scan. */
  intents: number;
  /** Open incidents still awaiting triage, as stored after this scan. */
  incidents: number;
  dueSoon: number;
  breached: number;
  escalated: number;
  /** Breached incidents marked in the vendor by this scan (sources configured to write back). */
  writtenBack: number;
  /** Open incidents a full pass missed for the first time, left open until the next full pass confirms. */
  missing: number;
}

export interface SourceScanSummary extends ScanCounts {
  source: string;
  ok: boolean;
  mode: 'full' | 'incremental';
  error: { code: string; message: string } | null;
  /** Why a full pass that read everything closed nothing (the vendor lost too much at once), or null. */
  degraded: string | null;
  durationMs: number;
  /**
   * Real ms from the start of the source's scan until the vendor answered its last write-back (the breached backlog
   * marked there), when any was written: that job finishes before the listing does, and the benchmark times it apart.
   */
  writeBackAnsweredMs?: number;
  /** Like writeBackAnsweredMs, until the bot had also recorded it (audit rows, stored status). */
  writeBackDoneMs?: number;
}

export interface SourceScanDeps {
  store: Store;
  policy: SlaPolicy;
  logger: Logger;
  options: ScanOptions;
  onProgress?: ((progress: ScanProgress) => void) | undefined;
  /** Paces the progress log; the application's injected clock, so a virtual clock drives it in tests. */
  clock?: Clock | undefined;
}

function chooseWindow(source: IncidentSource, state: ScanState | null, options: ScanOptions): ListWindow {
  const due = !state?.lastFullPassAt || state.scansSinceFullPass + 1 >= options.fullResyncEvery;
  if (options.forceFull || due || !source.capabilities.incremental || !state?.watermark) return { mode: 'full' };
  return { mode: 'incremental', since: new Date(state.watermark.getTime() - options.overlapMinutes * 60_000) };
}

/** Scans one source. Never throws: a failure is reported in the summary and the store stays consistent. */
export async function scanSource(
  source: IncidentSource,
  deps: SourceScanDeps,
  context: { now: Date; scanId: string },
): Promise<SourceScanSummary> {
  // durationMs is the real time the scan took (for logs and benchmarks), whatever clock the app runs on: a
  // virtual clock would report a fiction there. The progress log is paced by the app's clock instead.
  const started = performance.now();
  const { store, policy, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const state = store.scanState.get(source.id);
  const window = chooseWindow(source, state, deps.options);
  // Ids of listed rows this scan left unwritten (applyPage: the first copy of a repeated record wins).
  const unwritten = new Set<string>();
  let fetched = 0;
  let skipped = 0;
  let intents = 0;
  let watermark = state?.watermark ?? null;
  let error: SourceScanSummary['error'] = null;
  let writtenBack = 0;
  let missing = 0;
  let degraded: string | null = null;
  // Open as `openNotSeenIn` counts it (by status), so "lost 5 of 8" compares like with like.
  const before = store.incidents.countBy(source.id);
  const openBefore = before.groups
    .filter((group) => !CLOSED_STATUSES.has(group.status))
    .reduce((sum, group) => sum + group.count, 0);
  const progressEveryMs = deps.options.progressLogEveryMs ?? PROGRESS_LOG_EVERY_MS;
  let progressLoggedAt = clock.now().getTime();
  let writeBackAnsweredMs: number | undefined;
  let writeBackDoneMs: number | undefined;
  const writeBackContext = { ...context, logger, policy };

  try {
    // The article's job first, so marking the breached backlog never waits for the listing of everything else.
    const early = await writeBackBeforeListing(store, source, writeBackContext);
    if (early && early.written > 0) {
      writtenBack = early.written;
      writeBackAnsweredMs = (early.answeredAt ?? performance.now()) - started;
      writeBackDoneMs = performance.now() - started;
    }
    for await (const page of source.listOpen({
      ...window,
      known: knownIn(store, source.id, before.total > 0),
      announces: announcesAt(policy, context.now),
      reread: deps.options.forceFull === true,
    })) {
      if (!page.ok) {
        error = { code: page.error.code, message: page.error.message };
        break;
      }
      // Only a full pass needs every listed row marked seen (disappearance); an incremental rescan writes no unchanged row.
      const unchanged = window.mode === 'full' ? 'touch' : 'skip';
      const outcome = applyPage(store, policy, page.value.incidents, {
        ...context,
        unwritten,
        unchanged,
        expectNew: before.total === 0,
      });
      fetched += page.value.incidents.length;
      skipped += page.value.skipped;
      intents += outcome.intents;
      if (outcome.newestCreatedAt && (!watermark || outcome.newestCreatedAt > watermark)) {
        watermark = outcome.newestCreatedAt;
      }
      deps.onProgress?.({ source: source.id, fetched, expectedTotal: page.value.expectedTotal });
      const at = clock.now().getTime();
      if (at - progressLoggedAt >= progressEveryMs) {
        progressLoggedAt = at;
        const { expectedTotal } = page.value;
        logger.info({ mode: window.mode, fetched, skipped, expectedTotal }, 'scan in progress');
      }
    }
    if (!error && window.mode === 'full') {
      const gone = await resolveDisappeared(store, policy, source, {
        ...context,
        logger,
        openBefore,
        previousFullPassAt: state?.lastFullPassAt ?? null,
        guard: deps.options.vanishGuard ?? DEFAULT_VANISH_GUARD,
      });
      intents += gone.intents;
      missing = gone.missing;
      degraded = gone.degraded;
    }
    intents += reevaluateUnseen(store, policy, source.id, context);
    if (early) rememberUnstored(store, source.id, context.now, early.unstored);
    if (!error && !early?.capped) {
      const late = await writeBackBreaches(store, source, writeBackContext);
      writtenBack += late.written;
      if (late.written > 0) {
        writeBackAnsweredMs = (late.answeredAt ?? performance.now()) - started;
        writeBackDoneMs = performance.now() - started;
      }
    }
  } catch (thrown) {
    // Adapters return errors as values; a throw here is a bug, but it must not take other sources down.
    logger.error({ err: thrown }, 'scan of source crashed');
    error = { code: 'unknown', message: thrown instanceof Error ? thrown.message : String(thrown) };
  }

  const ok = error === null;
  // A degraded pass, or one with disappearances to confirm, is not trusted as a full pass: the next scan is one.
  const trustedFull = ok && window.mode === 'full' && degraded === null;
  const fullDue = degraded !== null || missing > 0;
  store.scanState.save(source.id, {
    // A failed pass keeps the old watermark: the next scan must not skip what this one missed.
    watermark: ok ? watermark : (state?.watermark ?? null),
    lastFullPassAt: trustedFull ? context.now : (state?.lastFullPassAt ?? null),
    scansSinceFullPass: fullDue ? deps.options.fullResyncEvery : trustedFull ? 0 : (state?.scansSinceFullPass ?? 0) + 1,
    lastScanAt: context.now,
    lastOutcome: ok ? 'ok' : 'failed',
    // `doctor` shows it beside the last scan; the outcome stays ok, since everything listed was stored.
    lastError: error ? `${error.code}: ${error.message}` : degraded ? `degraded: ${degraded}` : null,
  });
  const counts = store.incidents.countBy(source.id);
  return {
    source: source.id,
    ok,
    mode: window.mode,
    fetched,
    skipped,
    intents,
    incidents: counts.awaiting,
    dueSoon: counts.bySlaState.due_soon ?? 0,
    breached: counts.bySlaState.breached ?? 0,
    escalated: counts.bySlaState.escalated ?? 0,
    writtenBack,
    missing,
    error,
    degraded,
    durationMs: Math.round(performance.now() - started),
    ...(writeBackDoneMs === undefined
      ? {}
      : { writeBackAnsweredMs: Math.round(writeBackAnsweredMs ?? 0), writeBackDoneMs: Math.round(writeBackDoneMs) }),
  };
}
