import type { Clock } from '../../../src/ports.js';

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

export const FAKE_SLACK_DEFAULTS: Readonly<FakeSlackIdentity & { token: string; triggerTtlMs: number }> = {
  token: 'xoxb-fake-bot-token',
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
}

/** One HTTP call to `/api/<method>`. `status` is 0 while the reply is still pending (latency). */
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

  /** The next `times` calls of `method` (or `'response_url'`) fail this way. */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /** Real-time delay before replying, for one method (or `'response_url'`) or, without one, for all. */
  setLatency(ms: number, method?: string): void;
}
