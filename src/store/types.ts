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

/** What re-evaluating a stored incident's SLA reads, and nothing more: rows read by the ten thousand. */
export type SlaRow = Pick<
  StoredIncident,
  'source' | 'id' | 'severity' | 'status' | 'policy' | 'createdAt' | 'slaState' | 'slaDeadline'
>;

export interface UpsertMeta {
  contentHash: string;
  slaState: SlaState | null;
  slaDeadline: Date | null;
  seenAt: Date;
  scanId: string;
  /**
   * When every stored column already holds what this upsert would write: `touch` (the default) moves only
   * last_seen_at and last_seen_scan, `skip` writes nothing (an incremental scan, which never judges disappearance).
   */
  unchanged?: 'touch' | 'skip';
  /**
   * The caller expects no row (the store held nothing of the source when the scan began): `upsertListed` inserts
   * without reading first, and reads the row only when one is there after all.
   */
  expectNew?: boolean;
}

/** What `upsertListed` did: `written` is false when the row was left as it was (unchanged, `unchanged: 'skip'`). */
export type ListedUpsert = { repeat: true } | { repeat: false; previous: StoredIncident | null; written: boolean };

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
  /** The message whose thread this card was posted in (a card under a roll-up); null for a parent message. */
  threadId: string | null;
}

/** What `postings.record` takes: `updatedAt` defaults to `postedAt`, `lastRenderedHash` and `threadId` to null. */
export type PostingInput = Omit<Posting, 'updatedAt' | 'lastRenderedHash' | 'threadId'> &
  Partial<Pick<Posting, 'updatedAt' | 'lastRenderedHash' | 'threadId'>>;

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
  /** One line for the thread reply, e.g. "Assigned to Alice by Bob"; clipped to 500 characters. */
  detail?: string;
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
  detail: string | null;
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

/** Someone assigned here because the vendor has no assign API. */
export interface LocalAssignee {
  email: string | null;
  display: string;
  /** The chat surface and user id of the assignee, when they were picked in chat. */
  surface: string | null;
  chatUserId: string | null;
}

/** A closure recorded here because the vendor has no false-positive API. */
export interface LocalClosure {
  status: 'false_positive';
  reason: string | null;
  by: string;
  at: Date;
}

/** Triage this bot holds for an incident because the vendor cannot. */
export interface TriageLocal {
  source: string;
  incidentId: string;
  assignee: LocalAssignee | null;
  assignedBy: string | null;
  assignedAt: Date | null;
  closure: LocalClosure | null;
}

export interface LocalNote {
  id: number;
  source: string;
  incidentId: string;
  at: Date;
  author: string;
  text: string;
}

export type LocalNoteInput = Omit<LocalNote, 'id'>;

/** The canonical incident inside a stored one: store bookkeeping must not ride along into the next upsert. */
export function canonicalIncident(stored: StoredIncident): Incident {
  const {
    contentHash: _hash,
    slaState: _state,
    slaDeadline: _deadline,
    firstSeenAt: _first,
    lastSeenAt: _last,
    lastSeenScan: _scan,
    ...incident
  } = stored;
  return incident;
}
