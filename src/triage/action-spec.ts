import type { IdentityConfig } from '../config/people-schema.js';
import type { AdapterError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { Actor, Clock, IncidentSource } from '../ports.js';
import type { AuditDetail, Store, StoredIncident } from '../store/index.js';
import type { View } from '../views/view.js';
import type { Role } from './roles.js';
import type { ChatUser, TriageAction, TriageRequest } from './types.js';

/** The incident a click is about, and who clicked. */
export interface ActionSubject {
  incident: StoredIncident;
  source: IncidentSource;
  clicker: ChatUser;
  /** How the audit log and local records name the clicker: `slack:U123 alice@corp.example`. */
  actorId: string;
}

export interface ActionDeps {
  store: Store;
  identity: IdentityConfig;
  clock: Clock;
}

/** Where a change took effect, and what the card and its thread should now say. */
export interface ActionChange {
  kind: 'changed';
  recordedIn: 'vendor' | 'local';
  /** For the clicker, privately. */
  text: string;
  /** The thread reply under the card: what happened and by whom. */
  line: string;
  detail: AuditDetail;
  /** Local writes, run by the handler inside the transaction that also stores the incident and the audit row. */
  recordLocal?: (store: Store, at: Date) => void;
  /** The card's incident when the vendor cannot be asked for it afterwards: the stored one with this change. */
  expected?: (incident: Incident) => Incident;
}

export type ActionResult =
  | ActionChange
  | { kind: 'snippets'; view: View; detail: AuditDetail }
  /** Changes nothing about the incident, only the clicker's own settings (snoozing reminders). */
  | { kind: 'personal'; text: string; detail: AuditDetail; record: (store: Store, at: Date) => void }
  | { kind: 'invalid'; text: string; field?: string; detail: AuditDetail }
  | { kind: 'failed'; error: AdapterError; detail?: AuditDetail };

export type RequestOf<A extends TriageAction> = Extract<TriageRequest, { action: A }>;

/** One interactive action: its id, who may take it, and what it does. */
export interface ActionSpec<A extends TriageAction = TriageAction> {
  action: A;
  /** Dotted audit action, e.g. `incident.assign`. */
  auditAction: string;
  requiredRole: Role;
  /** What a refusal names ("Assigning incidents needs the analyst role"). */
  doing: string;
  /** Identifies the request's content, so a double click is a duplicate but a different submission is not. */
  fingerprint(request: RequestOf<A>): string;
  execute(request: RequestOf<A>, subject: ActionSubject, deps: ActionDeps): Promise<ActionResult>;
}

export const actorOf = (user: ChatUser): Actor => ({ email: user.email, display: user.display });

export const recordedHere = (source: IncidentSource) => `recorded here, not in ${source.displayName}`;

/** Counts characters as people and SQLite do (code points), not UTF-16 units. */
export const charCount = (text: string) => Array.from(text).length;
