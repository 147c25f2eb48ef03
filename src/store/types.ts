import type { Incident, IncidentStatus, Severity } from '../domain/incident.js';

// Same union as src/domain/sla.ts; kept here until the two are unified so the store compiles on its own.
export const SLA_STATES = ['ok', 'due_soon', 'breached', 'escalated'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export type StoredIncident = Incident & {
  /** sha256 of the incident as the source last reported it (see `contentHash`). */
  contentHash: string;
  /** null once the SLA no longer applies (closed, or a status that is not awaiting triage). */
  slaState: SlaState | null;
  slaDeadline: Date | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastSeenScan: string;
};

export interface UpsertMeta {
  contentHash: string;
  slaState: SlaState | null;
  slaDeadline: Date | null;
  seenAt: Date;
  scanId: string;
}

export interface OpenFilter {
  source?: string;
  severity?: Severity;
}

export interface IncidentCount {
  status: IncidentStatus;
  slaState: SlaState | null;
  count: number;
}

export interface IncidentCounts {
  total: number;
  /** Incidents whose SLA still applies (sla_state set): awaiting triage as of their last evaluation. */
  awaiting: number;
  byStatus: Partial<Record<IncidentStatus, number>>;
  bySlaState: Partial<Record<SlaState, number>>;
  /** The underlying grouping by (status, sla_state), in that order. */
  groups: IncidentCount[];
}

export interface ScanState {
  /** Newest `createdAt` seen; incremental scans ask the vendor for incidents from here on. */
  watermark: Date | null;
  lastFullPassAt: Date | null;
  scansSinceFullPass: number;
  lastScanAt: Date | null;
  lastOutcome: 'ok' | 'failed' | null;
  lastError: string | null;
}

export interface PostingKey {
  source: string;
  incidentId: string;
  surface: string;
  channel: string;
}

export interface Posting extends PostingKey {
  messageId: string;
  postedAt: Date;
  updatedAt: Date;
  /** Hash of the last rendered view, so an unchanged incident is not re-sent; null when not tracked. */
  lastRenderedHash: string | null;
}

/** What `postings.record` takes: `updatedAt` defaults to `postedAt`, `lastRenderedHash` to null. */
export type PostingInput = Omit<Posting, 'updatedAt' | 'lastRenderedHash'> &
  Partial<Pick<Posting, 'updatedAt' | 'lastRenderedHash'>>;

export const OUTBOX_KINDS = ['due_soon', 'breached', 'escalated', 'updated', 'closed'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export const OUTBOX_STATES = ['pending', 'delivered', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxIntent {
  source: string;
  incidentId: string;
  kind: OutboxKind;
  /** Identifies the announcement itself; the same key twice is one announcement. */
  dedupeKey: string;
  createdAt: Date;
  /** Defaults to `createdAt`. */
  nextAttemptAt?: Date;
}

export interface OutboxRow {
  id: number;
  source: string;
  incidentId: string;
  kind: OutboxKind;
  dedupeKey: string;
  createdAt: Date;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
}

export interface Identity {
  surface: string;
  chatUserId: string;
  email: string | null;
  displayName: string | null;
  updatedAt: Date;
}

export interface VendorUserLink {
  email: string;
  source: string;
  vendorUserId: string;
}
