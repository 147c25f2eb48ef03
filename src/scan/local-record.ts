import { CLOSED_STATUSES, clipText, type Incident, TEXT_LIMITS } from '../domain/incident.js';
import type { LocalAssignee, TriageLocal } from '../store/types.js';

/** How a local assignee reads in the incident's `assignee` field (and so on the card). */
export function assigneeText(assignee: LocalAssignee): string {
  return clipText(assignee.email ?? assignee.display, TEXT_LIMITS.assignee) ?? assignee.display;
}

/**
 * The incident as the card should show it: the vendor's record with what was triaged here laid over it. A
 * local assignee fills the field only while the vendor names nobody (an assignment made in the console later
 * wins); a local false-positive closes an incident the vendor still has open, so its SLA no longer applies.
 * Applying it twice gives the same incident, so the scan and a click store the same content hash.
 */
export function applyLocalRecord(incident: Incident, local: TriageLocal | null): Incident {
  if (!local) return incident;
  let result = incident;
  if (local.assignee && !result.assignee) result = { ...result, assignee: assigneeText(local.assignee) };
  if (local.closure && !CLOSED_STATUSES.has(result.status)) {
    result = {
      ...result,
      status: local.closure.status,
      rawStatus: clipText(`${result.rawStatus} in vendor`, TEXT_LIMITS.rawStatus) ?? result.rawStatus,
    };
  }
  return result;
}

/**
 * The stored incident without the local assignee laid over it, as near to the vendor's record as the store
 * knows, so a new local assignment can replace an old one rather than lose to it.
 */
export function withoutLocalAssignee(incident: Incident, local: TriageLocal | null): Incident {
  if (!local?.assignee || incident.assignee !== assigneeText(local.assignee)) return incident;
  return { ...incident, assignee: null };
}
