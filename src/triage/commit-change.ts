import { formatIncidentRef, type Incident } from '../domain/incident.js';
import type { SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ActionChange, ActionResult } from '../ports/actions.js';
import type { IncidentSource } from '../ports/index.js';
import { withoutLocalAssignee } from '../scan/local-record.js';
import { type IntentKind, planIntents } from '../scan/plan-intents.js';
import { enqueueIntents, storeIncident } from '../scan/record-incident.js';
import { type AuditEvent, canonicalIncident, type Store, type StoredIncident } from '../store/index.js';

/** Announcements time alone implies (a breach reached just now) still go out; a click never adds a second update. */
const ANNOUNCING: ReadonlySet<IntentKind> = new Set(['due_soon', 'breached', 'escalated']);

export interface CommitContext {
  store: Store;
  policy: SlaPolicy;
  logger: Logger;
  source: IncidentSource;
  incident: StoredIncident;
  now: Date;
  /** Unique per click, so two clicks are two thread replies and a retried click is one. */
  dedupeKey: string;
  /** The audit row for this click, written with the change. */
  audit: AuditEvent;
}

/**
 * Brings the card up to date after a click changed something: the vendor's fresh record when it holds the
 * change (else what the store knew, with the change applied), stored through the scan's recording path so the
 * SLA state and content hash stay right. The local record, the incident, one 'updated' announcement and the
 * audit row land in one transaction; the vendor is asked before it, never inside.
 */
export async function commitChange(change: ActionChange, context: CommitContext): Promise<void> {
  const { store, source, incident, now } = context;
  let reported: Incident | null = null;
  if (change.recordedIn === 'vendor') {
    const fetched = await source.get(incident.id);
    if (fetched.ok) reported = fetched.value;
    else context.logger.warn({ code: fetched.error.code }, 'could not re-read the incident after a change; using ours');
  }
  store.transaction(() => {
    // Read again inside the transaction: a scan may have stored a newer record while the vendor answered.
    const current = store.incidents.get(incident) ?? incident;
    const before = store.triage.get(incident);
    change.recordLocal?.(store, now);
    const known = withoutLocalAssignee(canonicalIncident(current), before);
    const base = reported ?? change.expected?.(known) ?? known;
    // The scan id stays the last scan's: a click is not a sighting in a full pass.
    const stored = storeIncident(store, context.policy, base, { now, scanId: current.lastSeenScan });
    const planned = planIntents({
      key: incident,
      previous: stored.previous,
      slaState: stored.slaState,
      contentHash: stored.contentHash,
    }).filter((intent) => ANNOUNCING.has(intent.kind));
    enqueueIntents(store, incident, planned, now);
    store.outbox.enqueue({
      source: incident.source,
      incidentId: incident.id,
      kind: 'updated',
      dedupeKey: `${formatIncidentRef(incident)}#click#${context.dedupeKey}`,
      createdAt: now,
      detail: change.line,
    });
    store.audit.append(context.audit);
  });
}

/** A clicker's own setting (a reminder snooze) and its audit row, in one transaction; false when it failed. */
export function commitPersonal(
  store: Store,
  result: Extract<ActionResult, { kind: 'personal' }>,
  audit: AuditEvent,
  now: Date,
  logger: Logger,
): boolean {
  try {
    store.transaction(() => {
      result.record(store, now);
      store.audit.append(audit);
    });
    return true;
  } catch (error) {
    logger.error({ err: error }, 'could not record a personal setting');
    return false;
  }
}
