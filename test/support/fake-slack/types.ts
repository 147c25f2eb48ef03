import type { Clock } from '../../../src/ports/index.js';

/** Public shapes of the fake Slack Web API. Seeds and records use Slack's own (snake_case) field names. */

export type Json = Record<string, unknown>;

export interface FakeSlackIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

export const FAKE_SLACK_DEFAULTS: Readonly<
  FakeSlackIdentity & { token: string; appToken: string; triggerTtlMs: number }
> = {
  token: 'xoxb-fake-bot-token',
  appToken: 'xapp-1-A0FAKEAPP-1-fake-app-token',
  teamId: 'T0FAKE',
  teamName: 'Fake Workspace',
  teamDomain: 'fake-workspace',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  appId: 'A0FAKEAPP',
  botName: 'dlp-bot',
  triggerTtlMs: 3_000,
};

export interface FakeSlackUserSeed {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: { email?: string; display_name?: string };
}

export interface FakeSlackChannelSeed {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** Whether the bot is in the channel (default true); false → `not_in_channel` on posts. */
  is_member?: boolean;
  /** When set, `chat.postEphemeral` to a user outside this list fails with `user_not_in_channel`. */
  members?: string[];
}

export interface FakeSlackUsergroupSeed {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

export interface RateLimitOptions {
  /** Token refill rate per channel (default 1). */
  postsPerSecond?: number;
  /** Bucket size per channel (default 3). */
  burst?: number;
  /** Methods limited per channel, each with its own buckets (default `['chat.postMessage']`). */
  methods?: string[];
  /**
   * Fixed `Retry-After` value sent verbatim (may be 0 or fractional). Default: the real wait, rounded up, at least 1.
   * WebClient reads the header with `parseInt`, so `0.05` means "retry now" to it.
   */
  retryAfterSeconds?: number;
}

export interface FakeSlackOptions {
  /** The only bot token accepted (default `FAKE_SLACK_DEFAULTS.token`). */
  token?: string;
  identity?: Partial<FakeSlackIdentity>;
  users?: FakeSlackUserSeed[];
  channels?: FakeSlackChannelSeed[];
  usergroups?: FakeSlackUsergroupSeed[];
  /** Unknown channel ids fail with `channel_not_found` (default false: any id is accepted). */
  strictChannels?: boolean;
  /** Drives ts values, trigger expiry and the rate limiter (default: system clock). */
  clock?: Clock;
  /** Per-channel token buckets (default on: 1/s, burst 3, chat.postMessage); `false` turns them off. */
  rateLimit?: RateLimitOptions | false;
  /** How long an issued trigger_id stays usable, in fake-clock ms (default 3000). */
  triggerTtlMs?: number;
  /** Real-time delay before every reply (default 0). */
  latencyMs?: number;
  /** Methods whose calls are held unanswered from the start, until `releaseHeld` (see `hold`). */
  held?: string[];
  /** The only app-level token accepted, by `apps.connections.open` alone (default `FAKE_SLACK_DEFAULTS.appToken`). */
  appToken?: string;
  socketMode?: FakeSocketModeOptions;
  /**
   * Whether the bot token has the optional `channels:history` / `groups:history` scopes (default true); false makes
   * conversations.history and conversations.replies answer `missing_scope`.
   */
  historyScopes?: boolean;
  /** Called as each Web API request arrives, before latency and faults (the crash benchmark kills the bot here). */
  onRequest?: (method: string, args: Json) => void;
}

/**
 * A fault after (or instead of) a method's work: `lost_after_work` does the work (a post is created) and drops the
 * connection unanswered; `500_after_work` does it and answers HTTP 500; `hang_after_work` does it and never
 * answers; `hang` never answers and does nothing.
 */
export type FakeFault = 'lost_after_work' | '500_after_work' | 'hang_after_work' | 'hang';

/** One HTTP call to `/api/<method>`. `status` is 0 while the reply is pending (latency), or never sent (a fault). */
export interface RecordedCall {
  method: string;
  /** Form (or JSON) fields; `blocks`, `attachments`, `metadata` and `view` are JSON-parsed when they parse. */
  args: Json;
  token: string | undefined;
  at: Date;
  status: number;
  response: Json;
}

export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Json[];
  metadata?: { event_type: string; event_payload: Json };
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  edited?: { user: string; ts: string };
  /** How many times chat.update (or a replace_original response) changed it. */
  updateCount: number;
  /** Whether the message, as it now stands, has a non-empty top-level `text` (the notification fallback). */
  hasFallbackText: boolean;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Json[];
  hasFallbackText: boolean;
  /** `chat.postEphemeral`, or a `response_url` post that was not in_channel. */
  via: 'chat.postEphemeral' | 'response_url';
}

export interface FakeView {
  id: string;
  kind: 'open' | 'push';
  triggerId: string;
  /** The user the trigger_id was issued for, when the test said. */
  user?: string;
  /** The view as `views.open`/`views.update` last returned it. */
  view: Json;
  updateCount: number;
}

export interface ResponseUrlContext {
  id?: string;
  channel?: string;
  /** The message the interaction came from: `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  user?: string;
}

export interface ResponseUrlPost {
  id: string;
  body: Json | string;
  contentType: string | undefined;
  at: Date;
}

/** A string is an `{ok:false,error}` reply (HTTP 200); an object is a raw HTTP reply. */
export type FakeFailure = string | { status: number; headers?: Record<string, string>; body?: Json };

export interface FakeSlack {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `${url}/api/`: WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  readonly token: string;
  /** The app-level token (`xapp-…`) `apps.connections.open` takes; the bot token there is `not_allowed_token_type`. */
  readonly appToken: string;
  /** Slack's Socket Mode side: `apps.connections.open` hands out `ws://…/link/?ticket=…` URLs served here. */
  readonly socketMode: FakeSocketMode;
  readonly identity: FakeSlackIdentity;
  close(): Promise<void>;

  calls(method?: string): RecordedCall[];
  /** Every live message in the channel in post order, thread replies included unless `topLevelOnly`. Copies. */
  messages(channel: string, options?: { topLevelOnly?: boolean }): FakeMessage[];
  threadReplies(channel: string, threadTs: string): FakeMessage[];
  ephemerals(user?: string): FakeEphemeral[];
  openedViews(): FakeView[];
  responses(id?: string): ResponseUrlPost[];
  /** 429s answered, for one channel or in total. */
  rateLimited(channel?: string): number;

  addUser(user: FakeSlackUserSeed): void;
  addChannel(channel: FakeSlackChannelSeed): void;
  addUsergroup(group: FakeSlackUsergroupSeed): void;
  /** The DM channel id `conversations.open` (and a post to a user id) uses for this user. */
  dmChannelId(userId: string): string;
  /** A fresh trigger_id, valid for `triggerTtlMs` of fake time from now, exchangeable once. */
  issueTriggerId(user?: string): string;
  registerTriggerId(triggerId: string, user?: string): void;
  /** `${url}/response/<id>`; with a channel/messageTs, posts there act on that message. */
  responseUrl(context?: ResponseUrlContext): string;

  /** The next `times` calls of `method` (or `'response_url'`) fail this way; with `channel`, only calls there. */
  failNext(method: string, failure: FakeFailure, times?: number, channel?: string): void;
  /** Real-time delay before replying, for one method (or `'response_url'`) or, without one, for all. */
  setLatency(ms: number, method?: string): void;
  /**
   * Calls of `method` are recorded (status 0) and left unanswered, and not acted on, until `releaseHeld(method)`:
   * a Slack that holds its answers, so a test can act while calls are in flight.
   */
  hold(method: string): void;
  /** Answers the held calls of `method`, in arrival order, and stops holding it. */
  releaseHeld(method: string): void;
  /** The next `times` calls of `method` (with `channel`, only there) meet this fault (see `FakeFault`). */
  faultNext(method: string, fault: FakeFault, times?: number, channel?: string): void;
}

// ---------------------------------------------------------------------------------------------------------------
// Socket Mode

export interface FakeSocketModeOptions {
  /** How often the fake pings each connection, in real ms (default 10000; 0: never). */
  pingIntervalMs?: number;
}

export type SocketEnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** What Slack sends down the socket for each request (after `hello`). */
export interface SocketEnvelope {
  envelope_id: string;
  type: SocketEnvelopeType;
  payload: Json;
  accepts_response_payload: boolean;
  /** Slack sets these on `events_api` envelopes; a test may set them on any (a redelivery). */
  retry_attempt?: number;
  retry_reason?: string;
}

/** An envelope to deliver: a missing `envelope_id` gets a fresh UUID, `accepts_response_payload` defaults to false. */
export type SocketEnvelopeInput = Omit<SocketEnvelope, 'envelope_id' | 'accepts_response_payload'> &
  Partial<Pick<SocketEnvelope, 'envelope_id' | 'accepts_response_payload'>>;

/** What a client sends back: `@slack/socket-mode` always includes `payload` (`{}` for a bare `ack()`). */
export interface SocketAck {
  envelope_id: string;
  payload?: Json;
}

export interface RecordedSocketAck extends SocketAck {
  connectionId: string;
  /** Fake-clock time it arrived. */
  at: Date;
}

export interface SocketDelivery {
  envelope: SocketEnvelope;
  ack: SocketAck;
  /** Real milliseconds from sending the envelope to receiving its ack (Slack gives up after 3000). */
  ackMs: number;
  connectionId: string;
}

export interface DeliverOptions {
  /** Rejects when no ack arrives within this many real ms (default 3000, Slack's limit). */
  ackTimeoutMs?: number;
  /** With no open connection, waits this long for one (default 5000) before rejecting. */
  connectTimeoutMs?: number;
  /** Deliver on this connection (default: the newest open one). */
  connectionId?: string;
}

export interface EnvelopeOptions extends DeliverOptions {
  envelopeId?: string;
  acceptsResponsePayload?: boolean;
  /** A redelivery: Slack's `retry_attempt` (1, 2, 3) and `retry_reason` (e.g. `timeout`). */
  retryAttempt?: number;
  retryReason?: string;
}

/** One WebSocket connection, as the fake saw it. */
export interface SocketConnection {
  /** `L1`, `L2`, … in the order the upgrades were accepted. */
  id: string;
  ticket: string;
  /** Fake-clock times. */
  openedAt: Date;
  closedAt?: Date;
  /** Open and greeted with `hello`. */
  open: boolean;
  /** The close code seen (1000 for a clean close, 1006 when the TCP connection just ended). */
  closeCode?: number;
  /** Who started the close: the client, or the fake (`disconnect()`, `close()`). */
  closedBy?: 'client' | 'fake';
  /** Pings from the client (each answered with a pong unless `setAnswerPings(false)`). */
  clientPings: number;
  /** Pings the fake sent, and the client's pongs to them. */
  serverPings: number;
  serverPongs: number;
  /** Every text frame the client sent, JSON-parsed when it parses (acks included). */
  received: unknown[];
}

export interface SocketDisconnectOptions {
  /**
   * `'message'` (default): Slack's `{"type":"disconnect","reason":…}`; the client closes with 1000 and reconnects.
   * `'close'`: a close frame from the fake (code 1001). `'drop'`: the TCP connection ends with no close frame.
   */
  how?: 'message' | 'close' | 'drop';
  /** For `'message'` (default `refresh_requested`; Slack also sends `warning` and `link_disabled`). */
  reason?: string;
  /** Only this connection (default: every open one). */
  connectionId?: string;
  /** Real ms to wait for the sockets to close before ending them (default 2000). */
  timeoutMs?: number;
}

export interface FakeSocketMode {
  /** Copies, in the order opened. */
  connections(): SocketConnection[];
  /**
   * Without `count`: the newest open connection, waiting up to `timeoutMs` (default 5000) for one.
   * With `count`: waits until that many connections have been greeted in all and returns the count-th.
   * "Greeted" means the fake has sent `hello`; the client may not have read it yet (its `connected` event).
   */
  waitForConnection(options?: { count?: number; timeoutMs?: number }): Promise<SocketConnection>;
  /** Sends an envelope and resolves with its ack; rejects when none comes in time. */
  deliver(envelope: SocketEnvelopeInput, options?: DeliverOptions): Promise<SocketDelivery>;
  /** An `interactive` envelope (block_actions, view_submission, …); view_submission accepts a response payload. */
  sendInteractive(payload: Json, options?: EnvelopeOptions): Promise<SocketDelivery>;
  /** A `slash_commands` envelope of these form fields (see `slashCommandFields`); accepts a response payload. */
  sendSlashCommand(fields: Record<string, string>, options?: EnvelopeOptions): Promise<SocketDelivery>;
  /** An `events_api` envelope: an inner event (`{type:'app_mention',…}`) is wrapped in an `event_callback`. */
  sendEvent(event: Json, options?: EnvelopeOptions): Promise<SocketDelivery>;
  /** Every ack received, duplicates and unknown envelope ids included. */
  acks(envelopeId?: string): RecordedSocketAck[];
  /** Ends connections (see `SocketDisconnectOptions`); resolves once they are closed. */
  disconnect(options?: SocketDisconnectOptions): Promise<void>;
  /** Whether client pings get pongs (default true); false exercises the client's pong timeout. */
  setAnswerPings(answer: boolean): void;
  /** Pings every open connection now. */
  ping(): void;
}
