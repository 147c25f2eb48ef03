import type { IncidentKey, IncidentRef } from '../domain/incident.js';
import type { Role } from '../domain/roles.js';
import type { ActionTable } from '../ports/actions.js';
import type { AuditDetail } from '../store/index.js';
import type { ButtonTarget, CardKind } from '../views/button-value.js';
import type { View } from '../views/view.js';
import type { MessageRef } from './index.js';

/** A person on a chat platform, as the surface resolved them. Roles are computed from this by the core. */
export interface ChatUser {
  /** The surface's id (`slack`, `teams`). */
  surface: string;
  /** The platform's user id (Slack `U…`, AAD object id). */
  userId: string;
  display: string;
  /** From the platform's directory (`users.info`); null when it cannot be read. */
  email: string | null;
  /** Group ids the user belongs to, as far as the role config needs them (Slack user groups, AAD groups). */
  groups: readonly string[];
}

/** Who a person field names, as the surface that collected it resolved it; or why it names nobody usable. */
export type PersonLookup = { ok: true; user: ChatUser } | { ok: false; problem: string; text: string };

/**
 * What a person asked for: the platform-neutral form of a button click or a submitted form. The surface passes
 * what was typed or picked as it came; the core checks the role first and only then reads it.
 */
export interface TriageRequest {
  /** An action id from the table, or one of its legacy ids. */
  action: string;
  /**
   * Raw values by field id, as the form sent them: several when a surface offers several inputs for one field
   * (Teams: an analyst picked and an email typed). Absent fields are empty.
   */
  values?: Readonly<Record<string, readonly string[]>>;
  /** The form's alternative was chosen (Slack's "Assign to me"): the alternative action runs instead. */
  alternative?: boolean;
  /** Turns a person field's raw value (a Slack user id, a typed email) into a chat user; asked after the role check. */
  people?: (raw: string) => Promise<PersonLookup>;
  /**
   * For a surface that redraws a card no delivery updates for the clicker (Teams): a done action that redraws
   * answers with the card as it now stands, drawn as the kind the button sat on (its button value's `k`).
   */
  redraw?: { card: CardKind | null };
}

/** A request the core has checked (role, card, incident, input), ready to run; or the answer already given. */
export type PreparedTriage = { ready: true; run(): Promise<TriageOutcome> } | { ready: false; outcome: TriageOutcome };

/**
 * Why a surface refused a request before reading what it asks: another Slack workspace or enterprise, another
 * Microsoft 365 tenant. The surface says so in the request's context and the gate refuses and audits it, so the
 * refusal leaves the same row as any other.
 */
export type SurfaceRefusal = 'wrong_workspace' | 'wrong_tenant';

/** Who sent a request through a chat handler, from where, and whether the surface already refused it. */
export interface InboundContext {
  user: ChatUser;
  channel: string | null;
  /**
   * Identifies this request across retries and replays: the platform's own id (Slack view id or trigger id, a
   * Teams activity id) or the click's timestamp. A second request with the same key is a duplicate.
   */
  requestId: string;
  correlationId: string;
  /** Set by the surface's workspace or tenant check: the gate refuses the request, with an audit row. */
  refused?: SurfaceRefusal;
}

/** Where and how a click happened. */
export interface ClickContext extends InboundContext {
  /** The incident message the click came from, when there is one. */
  message: MessageRef | null;
}

export type TriageOutcome =
  /**
   * Done; tell the clicker `text` privately. `recordedIn` says whether the vendor or only dlp-bot holds it. An
   * action that redraws also brings the card as it now stands (`card`), for a surface that redraws it.
   */
  | { kind: 'done'; text: string; recordedIn: 'vendor' | 'local'; card?: CurrentCard }
  /** Evidence for the clicker's eyes only. */
  | { kind: 'snippets'; view: View }
  | { kind: 'denied'; text: string }
  /** Bad input the person can fix (a note that is too long); forms show it next to the field. */
  | { kind: 'invalid'; text: string; field?: string }
  | { kind: 'failed'; text: string; correlationId: string }
  /** The same request again (a double click, a platform retry): nothing was done a second time. */
  | { kind: 'duplicate'; text: string };

/** An incident's card as it stands now. */
export interface CurrentCard {
  view: View;
  /** The message asked about is one of the incident's tracked postings: delivery updates it for everyone. */
  tracked: boolean;
}

/** Opening a form: its title ("Add note to high DLP incident pan-prod:42"), or the answer instead, audited. */
export type FormGrant = { open: true; title: string } | { open: false; outcome: TriageOutcome };

/** A card redrawn for one person: the card as it stands now, or the answer instead, audited. */
export type Redraw =
  | { ok: true; card: CurrentCard }
  | { ok: false; outcome: Extract<TriageOutcome, { kind: 'denied' | 'failed' }> };

/** The audit action of a redraw (Teams' "Back to the incident"): who looked at which incident. */
export const REDRAW_ACTION = 'card.redraw';

/**
 * A request refused before anything in it was used: a payload the surface could not read (a button value or card
 * data that does not parse, a form whose incident reference cannot be decoded), or one its workspace or tenant
 * check refused. `action` is what the handler was for, when it knows: an action id (or a legacy one) or
 * `REDRAW_ACTION`; anything else is audited as an unknown request, never under the text it came with.
 */
export interface Refusal {
  reason: 'unreadable' | SurfaceRefusal;
  action?: string;
}

/** A `/dlp …` answer. Private to the asker unless they added `--share`. */
export interface CommandReply {
  view: View;
  share: boolean;
}

/**
 * What the audit row of a `/dlp …` text says, read without running it: its action (`command.show`,
 * `command.unknown`), the one incident it names, and only the words of the command language (never free text).
 */
export interface CommandSubject {
  action: string;
  key: IncidentKey | null;
  detail: AuditDetail;
}

/** How a `/dlp …` request ended, as the asker saw it. */
export type CommandResult = 'answered' | 'denied' | 'invalid' | 'failed';

/** A command run: the answer, how it ended, and short facts for its audit row (the role needed on a denial). */
export interface CommandRun {
  reply: CommandReply;
  result: CommandResult;
  detail?: AuditDetail;
}

/**
 * The `/dlp` side of inbound chat: the command registry lives outside the core, so serve hands it in. The core's
 * gate decides the asker's role, refuses, deduplicates and writes the audit row; this only reads and runs.
 */
export interface ChatCommands {
  subject(text: string): Promise<CommandSubject>;
  /** Runs `text` for someone the gate let through, with the role it gave them. */
  run(
    text: string,
    asker: { user: ChatUser; role: Role; channel: string | null; correlationId: string },
  ): Promise<CommandRun>;
  /** The subcommand names `run` answers, lower case. */
  names(): readonly string[];
}

/**
 * What the core offers a chat surface for inbound traffic. Surfaces translate platform payloads into these calls
 * and render the results; they never decide roles, call vendors or write audit rows. Every call that reads or
 * changes an incident, or runs a command, is gated: the surface's own refusal (`context.refused`), then the role,
 * and an audit row whatever the outcome (a platform's retry of the same request aside). A surface's handlers make
 * only gated calls; the rest below reveal no incident. An incident named by a button's short key (an id too long
 * for the button) is looked up first; a short key no stored incident has is refused as an unreadable button.
 */
export interface InboundHandlers {
  /** The actions in effect, for drawing forms and registering handlers under every id they answer to. */
  actions(): ActionTable;
  /** Gated. Before opening a form: may this user take this action on this incident? Records the click. */
  authorize(action: string, key: IncidentRef, context: ClickContext): Promise<FormGrant>;
  /**
   * Gated. Everything before the work: role check, card check, the incident and its source, then the input (typed
   * text cleaned and held to the field's limits, people resolved). A refusal or unusable input is audited and
   * returned; otherwise `run` does the work. For surfaces that must answer a form before the vendor is called (Slack).
   */
  prepare(request: TriageRequest, key: IncidentRef, context: ClickContext): Promise<PreparedTriage>;
  /** Gated. `prepare`, then the work: idempotency, vendor call, local record, audit row, message update. */
  triage(request: TriageRequest, key: IncidentRef, context: ClickContext): Promise<TriageOutcome>;
  /**
   * Gated (viewer, as `dlp show`). The incident's card as it stands now, for the clicker alone: for surfaces that
   * redraw a card in their answer (Teams' way back from the evidence view). The target's card kind is drawn again:
   * a reminder DM's card is redrawn as a reminder. Audited as `REDRAW_ACTION`.
   */
  redraw(target: ButtonTarget, context: ClickContext): Promise<Redraw>;
  /** Gated. `/dlp <text>`, parsed with the same command registry as the CLI; a replayed request runs nothing. */
  command(text: string, context: InboundContext): Promise<CommandReply>;
  /** Gated. A request refused before it was read (see `Refusal`): audited under no incident, and answered. */
  refuse(refusal: Refusal, context: InboundContext): Extract<TriageOutcome, { kind: 'denied' }>;
  /**
   * The subcommand names `command` answers (`aging`, `show`, …), lower case: Teams' command menu inserts them
   * without the `dlp` prefix, so that surface recognises a message by its first word too.
   */
  commandNames(): readonly string[];
  /** The role the core gives this user (for showing or hiding controls). */
  roleOf(user: ChatUser): Role | 'none';
  /** Group ids the role config names, so a surface resolves membership of those groups only. */
  groupIds(): readonly string[];
  /**
   * The bot can now post somewhere it could not before (the Teams app was added to a team or chat):
   * announcements waiting on a retry, because that place was unknown, go out now instead of after backoff.
   */
  placeAdded(): void;
}

/** A running inbound listener (Socket Mode connection or HTTP receiver). */
export interface ChatListener {
  /** Where it listens, for HTTP receivers (e.g. `http://127.0.0.1:3000/slack/events`). */
  address?: string;
  /** Whether its connection is up now (Socket Mode); omitted, it is up while it runs (an HTTP receiver). */
  connected?(): boolean;
  stop(): Promise<void>;
}
