import type { Incident } from '../domain/incident.js';
import { evaluateSla, type SlaEvaluation, type SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { IncidentSource } from '../ports/index.js';
import { canonicalIncident, type Store, type StoredIncident } from '../store/index.js';
import { planIntents } from './plan-intents.js';
import { enqueueIntents, recordIncident } from './record-incident.js';

const REEVALUATE_BATCH = 1_000;

/**
 * Time alone moves incidents from ok to due soon to breached, with no change at the vendor. Incidents this
 * scan did not fetch (all older ones, on an incremental scan) are re-evaluated from the store.
 */
export function reevaluateUnseen(
  store: Store,
  policy: SlaPolicy,
  source: string,
  context: { now: Date; scanId: string },
): number {
  // Collect first, write afterwards: better-sqlite3 cannot write while an iterator holds the connection.
  const changed: { incident: StoredIncident; sla: SlaEvaluation | null }[] = [];
  // Rows this scan already wrote are filtered out in SQL: after a full pass that is every open row, and reading
  // and discarding them cost ~0.5 s per 100k incidents.
  for (const incident of store.incidents.iterateOpenNotSeenIn(source, context.scanId)) {
    const sla = evaluateSla(incident, policy, context.now);
    const deadline = sla?.deadline.getTime() ?? null;
    if ((sla?.state ?? null) !== incident.slaState || deadline !== (incident.slaDeadline?.getTime() ?? null)) {
      changed.push({ incident, sla });
    }
  }
  let intents = 0;
  for (let i = 0; i < changed.length; i += REEVALUATE_BATCH) {
    const batch = changed.slice(i, i + REEVALUATE_BATCH);
    intents += store.transaction(() => {
      let added = 0;
      for (const { incident, sla } of batch) {
        const slaState = sla?.state ?? null;
        store.incidents.updateSla(incident, slaState, sla?.deadline ?? null);
        const previous = { slaState: incident.slaState, contentHash: incident.contentHash };
        const planned = planIntents({ key: incident, previous, slaState, contentHash: incident.contentHash });
        added += enqueueIntents(store, incident, planned, context.now);
      }
      return added;
    });
  }
  return intents;
}

/** Bounds the vendor calls one scan spends on incidents that left the open list. */
export const MAX_DISAPPEARED_LOOKUPS = 200;

/**
 * After a complete full pass, open incidents the vendor no longer lists were closed (or deleted) in the
 * vendor console. Fetch each to learn its real status, so the message can show what happened there.
 */
export async function resolveDisappeared(
  store: Store,
  policy: SlaPolicy,
  source: IncidentSource,
  context: { now: Date; scanId: string; logger: Logger },
): Promise<{ checked: number; intents: number }> {
  const gone = store.incidents.openNotSeenIn(source.id, context.scanId).slice(0, MAX_DISAPPEARED_LOOKUPS);
  let intents = 0;
  for (const incident of gone) {
    const fetched = await source.get(incident.id);
    let updated: Incident;
    if (fetched.ok) updated = fetched.value;
    else if (fetched.error.code === 'not_found')
      updated = { ...canonicalIncident(incident), status: 'dismissed', rawStatus: 'deleted in vendor' };
    else {
      context.logger.warn({ code: fetched.error.code }, 'could not refresh an incident the vendor no longer lists');
      continue;
    }
    intents += store.transaction(() => recordIncident(store, policy, updated, context));
  }
  return { checked: gone.length, intents };
}
