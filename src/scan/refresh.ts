import { evaluateSla, type SlaEvaluation, type SlaPolicy } from '../domain/sla.js';
import type { SlaRow, Store } from '../store/index.js';
import { planIntents } from './plan-intents.js';
import { enqueueIntents } from './record-incident.js';

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
  const changed: { incident: SlaRow; sla: SlaEvaluation | null }[] = [];
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
        // The hash is read here, for the few rows that changed, rather than with every open row above.
        const contentHash = store.incidents.get(incident)?.contentHash;
        if (contentHash === undefined) continue;
        store.incidents.updateSla(incident, slaState, sla?.deadline ?? null);
        const previous = { slaState: incident.slaState, contentHash };
        const planned = planIntents({ key: incident, previous, slaState, contentHash });
        added += enqueueIntents(store, incident, planned, context.now);
      }
      return added;
    });
  }
  return intents;
}
