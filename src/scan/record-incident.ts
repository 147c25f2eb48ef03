import type { Incident, IncidentKey } from '../domain/incident.js';
import { evaluateSla, type SlaPolicy } from '../domain/sla.js';
import { contentHash, type Store } from '../store/index.js';
import { type Intent, planIntents } from './plan-intents.js';

/** Queues announcements; returns how many were new (a dedupe key already queued counts as zero). */
export function enqueueIntents(store: Store, key: IncidentKey, intents: readonly Intent[], now: Date): number {
  let added = 0;
  for (const intent of intents) {
    const inserted = store.outbox.enqueue({
      source: key.source,
      incidentId: key.id,
      kind: intent.kind,
      dedupeKey: intent.dedupeKey,
      createdAt: now,
    });
    if (inserted) added += 1;
  }
  return added;
}

/**
 * Upserts one incident with its SLA evaluation and queues what the change implies. Call inside a
 * transaction: the row and its announcements must land together.
 */
export function recordIncident(
  store: Store,
  policy: SlaPolicy,
  incident: Incident,
  context: { now: Date; scanId: string },
): number {
  const sla = evaluateSla(incident, policy, context.now);
  const slaState = sla?.state ?? null;
  const hash = contentHash(incident);
  const previous = store.incidents.upsert(incident, {
    contentHash: hash,
    slaState,
    slaDeadline: sla?.deadline ?? null,
    seenAt: context.now,
    scanId: context.scanId,
  });
  return enqueueIntents(
    store,
    incident,
    planIntents({ key: incident, previous, slaState, contentHash: hash }),
    context.now,
  );
}
