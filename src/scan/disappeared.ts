import type { Incident } from '../domain/incident.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { IncidentSource } from '../ports/index.js';
import { canonicalIncident, type Store, type StoredIncident } from '../store/index.js';
import { recordIncident } from './record-incident.js';

/** Bounds the vendor calls one scan spends on incidents that left the open list. */
export const MAX_DISAPPEARED_LOOKUPS = 200;

/** `scan.vanishGuard`: how much may go missing at once before the vendor, not the analysts, is the likelier cause. */
export interface VanishGuard {
  /** Share (0..1) of the source's open incidents, or of those looked up, that marks the source degraded. */
  share: number;
  /** Fewer missing incidents than this never degrade a source, so a small queue can still lose one. */
  minIncidents: number;
}

export const DEFAULT_VANISH_GUARD: VanishGuard = { share: 0.5, minIncidents: 5 };

export interface DisappearedOutcome {
  intents: number;
  /** Missing for the first time: left open until the next full pass confirms it. */
  missing: number;
  /** Why this pass closed nothing on the vendor's silence, or null. */
  degraded: string | null;
}

type Answer = Awaited<ReturnType<IncidentSource['get']>>;

function tooMany(count: number, of: number, guard: VanishGuard): boolean {
  return count >= guard.minIncidents && count >= guard.share * of;
}

/**
 * After a complete full pass, open incidents the vendor no longer lists were closed (or deleted) in the vendor
 * console, or the vendor is glitching. Each is fetched: a status the vendor states is recorded; a "not found" closes
 * a card only when the previous full pass missed it too, and never when too many went missing at once.
 */
export async function resolveDisappeared(
  store: Store,
  policy: SlaPolicy,
  source: IncidentSource,
  context: {
    now: Date;
    scanId: string;
    logger: Logger;
    /** Open incidents of this source before the scan. */
    openBefore: number;
    /** The previous complete full pass: an incident last seen before it has now been missed twice. */
    previousFullPassAt: Date | null;
    guard: VanishGuard;
  },
): Promise<DisappearedOutcome> {
  const gone = store.incidents.openNotSeenIn(source.id, context.scanId);
  const answers: { incident: StoredIncident; fetched: Answer }[] = [];
  for (const incident of gone.slice(0, MAX_DISAPPEARED_LOOKUPS)) {
    answers.push({ incident, fetched: await source.get(incident.id) });
  }
  const stated = answers.flatMap((a) => (a.fetched.ok ? [a.fetched.value] : []));
  const notFound = answers.filter((a) => !a.fetched.ok && a.fetched.error.code === 'not_found').map((a) => a.incident);
  const unexplained = gone.length - stated.length;
  const degraded = tooMany(unexplained, context.openBefore, context.guard)
    ? `the listing lost ${unexplained} of ${context.openBefore} open incident(s) and the vendor gave no status for them`
    : tooMany(notFound.length, answers.length, context.guard)
      ? `the vendor answered "not found" for ${notFound.length} of ${answers.length} incident(s) looked up at once`
      : null;
  const failedLookups = answers.length - stated.length - notFound.length;
  if (failedLookups > 0) {
    context.logger.warn({ failedLookups }, 'could not refresh incidents the vendor no longer lists');
  }

  const previous = context.previousFullPassAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const missedTwice = degraded ? [] : notFound.filter((incident) => incident.lastSeenAt.getTime() < previous);
  const deleted = missedTwice.map(
    (incident): Incident => ({ ...canonicalIncident(incident), status: 'dismissed', rawStatus: 'deleted in vendor' }),
  );
  let intents = 0;
  for (const updated of [...stated, ...deleted]) {
    intents += store.transaction(() => recordIncident(store, policy, updated, context));
  }
  const missing = notFound.length - missedTwice.length;
  if (missing > 0 && !degraded) {
    context.logger.info(
      { missing },
      'incidents missing from the listing for the first time; the next full pass confirms',
    );
  }
  return { intents, missing, degraded };
}
