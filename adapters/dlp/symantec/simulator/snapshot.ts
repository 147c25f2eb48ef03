import { creationDateOf, type SymantecDataset } from '../dataset.js';
import { CUSTOM_ATTRIBUTES, type StatusDef } from './catalog.js';

/** An incident as the simulator holds it, for tests and tooling that check what HTTP clients did. */
export interface IncidentSnapshot {
  incidentId: number;
  /** As Enforce prints it: a naive wall time in the server's zone. */
  creationDate: string;
  /** The same instant, in UTC. */
  createdAt: Date;
  severityId: number;
  incidentStatusId: number;
  incidentStatusName: string | null;
  isHidden: boolean;
  policyName: string;
  messageSource: string;
  messageType: string;
  matchCount: number;
  networkSenderIdentifier: string | null;
  dataOwnerName: string | null;
  dataOwnerEmail: string | null;
  customAttributes: Record<string, string | null>;
  notes: string[];
  /** Newest first, as `GET /incidents/{id}/history` lists it. */
  history: { action: string; detail: string }[];
}

export function createSnapshots(dataset: SymantecDataset, statuses: readonly StatusDef[], now: () => number) {
  const names = new Map(statuses.map((s) => [s.id, s.name]));
  const snapshot = (p: number): IncidentSnapshot => {
    const f = dataset.facts(p);
    const owner = dataset.dataOwner(p);
    const custom = dataset.custom(p);
    return {
      incidentId: dataset.idOf(p),
      creationDate: creationDateOf(dataset, p),
      createdAt: new Date(dataset.utcMs(p)),
      severityId: dataset.severity(p),
      incidentStatusId: dataset.status(p),
      incidentStatusName: names.get(dataset.status(p)) ?? null,
      isHidden: dataset.hidden(p),
      policyName: f.policy.name,
      messageSource: f.messageSource,
      messageType: f.messageType,
      matchCount: f.matchCount,
      networkSenderIdentifier: f.networkSenderIdentifier,
      dataOwnerName: owner.name,
      dataOwnerEmail: owner.email,
      customAttributes: Object.fromEntries(CUSTOM_ATTRIBUTES.map((a) => [a.name, custom[a.index] ?? null])),
      notes: dataset.notes(p),
      history: dataset.history(p).map((h) => ({ action: h.incidentHistoryAction, detail: h.incidentHistoryDetail })),
    };
  };
  return {
    one(id: number): IncidentSnapshot | undefined {
      const p = Number.isSafeInteger(id) ? dataset.positionOf(id) : undefined;
      return p !== undefined && p < dataset.visibleCount(now()) ? snapshot(p) : undefined;
    },
    all(): IncidentSnapshot[] {
      return Array.from({ length: dataset.visibleCount(now()) }, (_, p) => snapshot(p));
    },
  };
}
