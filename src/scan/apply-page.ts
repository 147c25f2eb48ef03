import type { Incident, IncidentKey } from '../domain/incident.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Store, TriageLocal } from '../store/index.js';
import { type RecordContext, recordListed } from './record-incident.js';

export interface PageOutcome {
  /** Incidents stored from this page (duplicates of earlier pages in the same scan are dropped). */
  stored: number;
  intents: number;
  newestCreatedAt: Date | null;
}

/**
 * Stores one page, its SLA evaluation and the announcements it implies in a single transaction: after a
 * crash either all of it is there (and the outbox will deliver it) or none of it is (and the next scan
 * sees the same change again). Never a breach stored but unannounced.
 */
export function applyPage(
  store: Store,
  policy: SlaPolicy,
  incidents: readonly Incident[],
  context: RecordContext & { unwritten: Set<string> },
): PageOutcome {
  return store.transaction(() => {
    const recordContext = { ...context, localTriage: pageTriage(store, incidents) };
    let stored = 0;
    let intents = 0;
    let newestCreatedAt: Date | null = null;
    for (const incident of incidents) {
      // Vendors repeat records across offset pages when data shifts under them; the first copy wins. The store knows
      // which rows this scan wrote (`last_seen_scan`), so only the rows it left unwritten (unchanged, on an incremental
      // scan) are remembered here: memory follows what an incremental window re-reads, not the size of the source.
      if (context.unwritten.has(incident.id)) continue;
      const recorded = recordListed(store, policy, incident, recordContext);
      if (!recorded) continue;
      if (!recorded.written) context.unwritten.add(incident.id);
      intents += recorded.intents;
      stored += 1;
      if (!newestCreatedAt || incident.createdAt > newestCreatedAt) newestCreatedAt = incident.createdAt;
    }
    return { stored, intents, newestCreatedAt };
  });
}

/**
 * The page's local triage in one read instead of one per record (most sources have none at all). A page comes from
 * one source's listing; a record of another source, should one appear, reads its own.
 */
function pageTriage(store: Store, incidents: readonly Incident[]): (key: IncidentKey) => TriageLocal | null {
  const source = incidents[0]?.source;
  if (source === undefined) return () => null;
  const local = store.triage.getMany(
    source,
    incidents.map((incident) => incident.id),
  );
  return (key) => (key.source === source ? (local.get(key.id) ?? null) : store.triage.get(key));
}
