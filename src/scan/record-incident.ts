import type { Incident, IncidentKey } from '../domain/incident.js';
import { evaluateSla, type SlaPolicy, type SlaState } from '../domain/sla.js';
import { contentHash, type Store, type StoredIncident, type TriageLocal, type UpsertMeta } from '../store/index.js';
import { applyLocalRecord } from './local-record.js';
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

export interface RecordContext {
  now: Date;
  scanId: string;
  /** What an unchanged row gets: `touch` (default) marks it seen by this scan, `skip` leaves it as it is. */
  unchanged?: UpsertMeta['unchanged'];
  /** The store held nothing of the source when the scan began: listed records are inserted without a read first. */
  expectNew?: boolean;
  /** The local triage of each record, read for a whole page at once; unset, each record reads its own. */
  localTriage?: (key: IncidentKey) => TriageLocal | null;
}

export interface StoredChange {
  /** The incident as stored: the vendor's record with local triage laid over it. */
  incident: Incident;
  previous: StoredIncident | null;
  slaState: SlaState | null;
  contentHash: string;
}

/** The row an upsert writes for `reported`: the vendor's record with local triage laid over it, and its SLA. */
function prepare(store: Store, policy: SlaPolicy, reported: Incident, context: RecordContext) {
  const local = context.localTriage ? context.localTriage(reported) : store.triage.get(reported);
  const incident = applyLocalRecord(reported, local);
  const sla = evaluateSla(incident, policy, context.now);
  const slaState = sla?.state ?? null;
  const hash = contentHash(incident);
  const meta: UpsertMeta = {
    contentHash: hash,
    slaState,
    slaDeadline: sla?.deadline ?? null,
    seenAt: context.now,
    scanId: context.scanId,
    unchanged: context.unchanged,
    expectNew: context.expectNew,
  };
  return { incident, slaState, hash, meta };
}

/**
 * Upserts one incident with its SLA evaluation, after laying over it what was triaged here (a local assignee,
 * a local false-positive), so a rescan never undoes a click and the hash is of what the card shows.
 */
export function storeIncident(
  store: Store,
  policy: SlaPolicy,
  reported: Incident,
  context: RecordContext,
): StoredChange {
  const { incident, slaState, hash, meta } = prepare(store, policy, reported, context);
  const previous = store.incidents.upsert(incident, meta);
  return { incident, previous, slaState, contentHash: hash };
}

/**
 * Upserts one incident with its SLA evaluation and queues what the change implies. Call inside a
 * transaction: the row and its announcements must land together.
 */
export function recordIncident(store: Store, policy: SlaPolicy, incident: Incident, context: RecordContext): number {
  const { previous, slaState, contentHash: hash } = storeIncident(store, policy, incident, context);
  return enqueueIntents(
    store,
    incident,
    planIntents({ key: incident, previous, slaState, contentHash: hash }),
    context.now,
  );
}

/**
 * `recordIncident` for a record of a scan's listing: null when this scan already stored it (a record repeated across
 * pages; the first copy wins), else the announcements queued and whether the row was written.
 */
export function recordListed(
  store: Store,
  policy: SlaPolicy,
  reported: Incident,
  context: RecordContext,
): { intents: number; written: boolean } | null {
  const { incident, slaState, hash, meta } = prepare(store, policy, reported, context);
  const outcome = store.incidents.upsertListed(incident, meta);
  if (outcome.repeat) return null;
  const { previous, written } = outcome;
  const intents = enqueueIntents(
    store,
    incident,
    planIntents({ key: incident, previous, slaState, contentHash: hash }),
    context.now,
  );
  return { intents, written };
}
