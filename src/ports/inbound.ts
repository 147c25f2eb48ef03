import type { IncidentKey } from '../domain/incident.js';
import type { Role } from '../domain/roles.js';
import type { ActionTable } from '../ports/actions.js';
import type { CardKind } from '../views/button-value.js';
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
}

/** A request the core has checked (role, card, incident, input), ready to run; or the answer already given. */
export type PreparedTriage = { ready: true; run(): Promise<TriageOutcome> } | { ready: false; outcome: TriageOutcome };

/** Where and how a click happened. */
export interface ClickContext {
  user: ChatUser;
  channel: string | null;
  /** The incident message the click came from, when there is one. */
  message: MessageRef | null;
  /**
   * Identifies this click across retries: the platform's own id for a submission (Slack view id), or the
   * click's timestamp. A second request with the same key is a duplicate.
   */
  requestId: string;
  correlationId: string;
}

export type TriageOutcome =
  /** Done; tell the clicker `text` privately. `recordedIn` says whether the vendor or only dlp-bot holds it. */
  | { kind: 'done'; text: string; recordedIn: 'vendor' | 'local' }
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

/** A `/dlp …` answer. Private to the asker unless they added `--share`. */
export interface CommandReply {
  view: View;
  share: boolean;
}

/**
 * What the core offers a chat surface for inbound traffic. Surfaces translate platform payloads into
 * these calls and render the results; they never decide roles, call vendors or write audit rows.
 */
export interface InboundHandlers {
  /** The actions in effect, for drawing forms and registering handlers under every id they answer to. */
  actions(): ActionTable;
  /** Before opening a form: may this user take this action on this incident? Records the click. */
  authorize(action: string, key: IncidentKey, context: ClickContext): Promise<TriageOutcome | null>;
  /**
   * Everything before the work: role check, card check, the incident and its source, then the input (typed text
   * cleaned and held to the field's limits, people resolved). A refusal or unusable input is audited and returned;
   * otherwise `run` does the work. For surfaces that must answer a form before the vendor is called (Slack).
   */
  prepare(request: TriageRequest, key: IncidentKey, context: ClickContext): Promise<PreparedTriage>;
  /** `prepare`, then the work: idempotency, vendor call, local record, audit row, message update. */
  triage(request: TriageRequest, key: IncidentKey, context: ClickContext): Promise<TriageOutcome>;
  /** `/dlp <text>`, parsed with the same command registry as the CLI. */
  command(text: string, user: ChatUser, channel: string | null, correlationId: string): Promise<CommandReply>;
  /**
   * The subcommand names `command` answers (`aging`, `show`, …), lower case: Teams' command menu inserts them
   * without the `dlp` prefix, so that surface recognises a message by its first word too.
   */
  commandNames(): readonly string[];
  /** One line naming the incident, for form titles ("Add note to high DLP incident pan-prod:42"). */
  describe(key: IncidentKey): Promise<string | null>;
  /**
   * The incident's card as it stands now, and whether `message` is one of its tracked postings. For surfaces
   * that can redraw a card for the clicker alone (Teams invoke responses): cards no delivery updates (`dlp show`
   * answers, DMs) and the way back from the evidence view. `kind` is the kind of card the click came from (its
   * button value's `k`): a reminder DM's card is redrawn as a reminder. Null when the incident or its source is
   * unknown.
   */
  card(key: IncidentKey, message: MessageRef | null, kind?: CardKind | null): Promise<CurrentCard | null>;
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
  stop(): Promise<void>;
}
