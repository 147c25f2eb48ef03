import type { IdentityConfig } from '../config/people-schema.js';
import type { TriageConfig } from '../config/triage-schema.js';
import type { AdapterError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { Role } from '../domain/roles.js';
import type { AuditDetail, Store, StoredIncident } from '../store/index.js';
import type { ActionForm } from '../views/form.js';
import type { View } from '../views/view.js';
import type { ChatUser } from './inbound.js';
import type { ActionReceipt, Actor, Capabilities, Clock, IncidentSource } from './index.js';

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

/** What the form asked for, read and checked by the core: cleaned text and resolved people, by field id. */
export interface ActionInput {
  /** Every text field of the form; `''` for an optional one left empty. */
  text: Readonly<Record<string, string>>;
  people: Readonly<Record<string, ChatUser>>;
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

/** Whether a text field must be filled: fixed, or decided by the `triage` config (the false-positive reason). */
export type Requirement = boolean | ((settings: TriageConfig) => boolean);

/**
 * One triage action, declared once: every surface draws its button and form from this, and the core alone checks
 * the role, reads the input, calls `execute` and writes the audit row. One file per action, one line in actions.ts.
 */
export interface ActionSpec {
  /** Dotted, e.g. `incident.assign`: the button's action id, the Teams verb, the audit action and the log's. */
  id: string;
  /** Ids on messages posted by older releases (`dlp.take`, Slack's `dlp.modal.note`): clicks on them still work. */
  legacyIds?: readonly string[];
  label: string | ((incident: Incident) => string);
  style?: 'primary' | 'danger';
  /** The card that carries its button: every incident card, or only reminder DMs. */
  card: 'incident' | 'reminder';
  role: Role;
  /** What a refusal names: "Assigning incidents needs the analyst role". */
  doing: string;
  /** A done outcome changes what the incident card shows, so a card no delivery updates is redrawn (Teams). */
  redraws: boolean;
  /** The console command (`dlp-bot take <source:id>`); absent, the action is not offered on the terminal. */
  cli?: { name: string; summary: string };
  form?: ActionForm<Requirement>;
  /** Whether the card offers it for this incident; absent, always. */
  showWhen?(incident: Incident, capabilities: Capabilities): boolean;
  execute(input: ActionInput, subject: ActionSubject, deps: ActionDeps): Promise<ActionResult>;
}

/** An action with its form's requirements settled by the config: what surfaces draw and the core reads. */
export type Action = Omit<ActionSpec, 'form'> & { form?: ActionForm };

export const actorOf = (user: ChatUser): Actor => ({ email: user.email, display: user.display });

export const recordedHere = (source: IncidentSource) => `recorded here, not in ${source.displayName}`;

/** What the clicker is also told when the vendor's holding a change was confirmed some other way than its answer. */
export function confirmedText(receipt: ActionReceipt, source: IncidentSource): string {
  if (receipt.confirmed === 'reread') return ` (applied; ${source.displayName}'s answer was unreadable)`;
  if (receipt.confirmed === 'already') return ' (it was already there; nothing was added twice)';
  return '';
}

/** The same for the audit row: how the change was confirmed, when not by the vendor's answer. */
export const confirmedDetail = (receipt: ActionReceipt): Record<string, string> =>
  receipt.confirmed ? { confirmed: receipt.confirmed } : {};

/** Counts characters as people and SQLite do (code points), not UTF-16 units. */
export const charCount = (text: string) => Array.from(text).length;

/** The actions in effect: the registry with the config's settings applied, looked up by any id they ever had. */
export interface ActionTable {
  readonly all: readonly Action[];
  /** The action a button, verb or form callback names (its id or a legacy one); null for anything else. */
  find(id: string): Action | null;
  /** The actions whose buttons a card of this kind shows for the incident, in table order. */
  on(card: Action['card'], incident: Incident, capabilities: Capabilities): Action[];
}
