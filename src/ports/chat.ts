import type { z } from 'zod';
import type { ChatConfigSpec, Env, ParsedFields } from '../config/schema.js';
import type { Result } from '../domain/result.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { View } from '../views/view.js';
import type { Clock, Egress } from './environment.js';
import type { ChatListener, InboundHandlers } from './inbound.js';
import type { Telemetry } from './telemetry.js';

/** A message this bot posted, as the chat platform identifies it. */
export interface MessageRef {
  surface: string;
  channel: string;
  messageId: string;
  /** The thread this message sits in when it is itself a reply (cards posted under a roll-up). */
  threadId?: string | undefined;
}

export interface PostOptions {
  /** Post as a reply in this message's thread instead of as a new parent. */
  inThreadOf?: MessageRef;
}

/** A card whose send never answered (a crash, a lost answer, a timeout): where and what to look for. */
export interface PostLookup {
  channel: string;
  /** The message whose thread the card was sent into (a card under a roll-up), if any. */
  threadId?: string | undefined;
  /** The incident the card shows (Slack: the message metadata `dlp_incident` payload). */
  subject: { source: string; id: string };
  /** When the first send started: a copy, if any, is not older than this, less the platforms' clock skew. */
  since: Date;
}

/** What reading the channel back found: the card to adopt, none, or that the channel cannot be read (and why). */
export type PostSearch =
  | { kind: 'found'; ref: MessageRef }
  | { kind: 'absent' }
  | { kind: 'unreadable'; reason: string };

/**
 * `not_found`: the message (or the conversation it was in) no longer exists on the platform, e.g. a person deleted
 * a DM; there is nothing left to update, so its record can go.
 */
export type ChatResult<T> = Result<
  T,
  {
    code: 'rate_limited' | 'unavailable' | 'rejected' | 'not_found' | 'unknown';
    message: string;
    retryAfterMs?: number;
  }
>;

/** One chat platform (console, Slack, Teams). Views are platform-neutral; each surface renders them. */
export interface ChatSurface {
  readonly id: string;
  /** Where announcements go when no route names a channel for this surface; null means nowhere. */
  readonly defaultChannel: string | null;
  /** How fast one channel may receive new messages; omitted: the send queue's default (about 1/s). */
  readonly sendRate?: { perSecond: number; burst: number } | 'unlimited';
  post(channel: string, view: View, options?: PostOptions): Promise<ChatResult<MessageRef>>;
  update(ref: MessageRef, view: View): Promise<ChatResult<void>>;
  /** A short reply in the message's thread (its own thread, or the thread it sits in). */
  reply(ref: MessageRef, view: View): Promise<ChatResult<void>>;
  ephemeral(user: string, channel: string, view: View): Promise<ChatResult<void>>;
  /**
   * A direct (one-to-one) message to a person, for escalations and reminders: `user` is the platform's own user
   * id (Slack `U…`, Teams AAD object id), the same id `ChatUser.userId` carries. The view's buttons work as on
   * a channel card. Omitted on surfaces that cannot reach one person, and the core then simply does not send DMs
   * there (the terminal has one reader, so it prints the DM marked with whom it is for). Slack:
   * `conversations.open` then `chat.postMessage`. Teams: a proactive message to the user's personal conversation, which needs a stored conversation reference; answer
   * `rejected` when there is none (the bot was never installed for that user) so the core can say so.
   */
  direct?(user: string, view: View): Promise<ChatResult<MessageRef>>;
  /**
   * A link that opens one of this bot's messages in the platform's client, for the digest's "oldest breaches"
   * (people jump to the card and its thread, not to the vendor console). Omitted on surfaces without such links
   * (the terminal); the digest then links the vendor console instead, as it also does when this fails. Slack:
   * `chat.getPermalink`. Teams: a deep link built from the stored conversation reference and the message ids.
   */
  permalink?(ref: MessageRef): Promise<ChatResult<string>>;
  /**
   * Looks for this bot's own card of `lookup.subject` sent since `lookup.since`, so a send whose answer never came
   * is adopted instead of posted a second time. Slack: `conversations.history` (or `.replies` in a thread) with the
   * optional history scopes; `unreadable` without them. Omitted where a channel cannot be read back (Teams).
   */
  findPost?(lookup: PostLookup): Promise<ChatResult<PostSearch>>;
  /** Starts receiving clicks and commands (surfaces that have an inbound side). */
  listen?(handlers: InboundHandlers): Promise<ChatListener>;
}

export interface SurfaceDeps {
  logger: Logger;
  clock: Clock;
  /** The app's store, opened on first use (Teams keeps its conversation references there). */
  store: () => Store;
  /** The outbound proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY; omitted, chat calls connect directly. */
  egress?: Egress;
  /** Where the surface reports what only it can measure (how fast a click was acknowledged). */
  telemetry?: Telemetry;
  /**
   * The send queue's time, for a surface that also counts its own sends against the platform's limits (Teams), so
   * both count on one clock; omitted, `clock` (a test injects a virtual one to take the pace off the wall clock).
   */
  sendTimer?: { now(): number };
  /** How a surface times an answer the platform waits for (Teams' invoke response); real time unless given. */
  answerDeadline?: AnswerDeadline;
}

/**
 * Starts a deadline: `expire` runs after `ms` unless the returned cancel runs first. A test passes one it expires
 * itself, so a race against the deadline costs it no waiting.
 */
export type AnswerDeadline = (ms: number, expire: () => void) => () => void;

/**
 * One chat surface (console, Slack, Teams), registered in the composition root. `Shape` is its config fields: it is
 * created from its section as those fields parsed it (see `defineSurface`).
 */
export interface ChatSurfaceDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  id: string;
  config: ChatConfigSpec<Shape>;
  /** The `chat.<key>` entry the sandbox uses, built from the environment; null leaves the surface off. */
  sandboxConfig?(env: Env): Record<string, unknown> | null;
  /**
   * Builds the surface from its parsed config section, or null when it is switched off. May answer a promise, so a
   * surface loads its chat SDK only when it is switched on and commands that never chat do not pay for it.
   */
  create(section: ParsedFields<Shape> | undefined, deps: SurfaceDeps): ChatSurface | null | Promise<ChatSurface | null>;
}

/**
 * Checks a surface against its own config fields, then lets the registry hold it beside surfaces with other fields:
 * the config schema hands `create` only the section its own fields parsed.
 */
export function defineSurface<Shape extends z.ZodRawShape>(
  surface: ChatSurfaceDefinition<Shape>,
): ChatSurfaceDefinition {
  return surface;
}
