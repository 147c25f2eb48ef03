import type { Clock } from '../../../src/ports/index.js';
import type {
  FakeEphemeral,
  FakeMessage,
  FakeSlackChannelSeed,
  FakeSlackIdentity,
  FakeSlackUsergroupSeed,
  FakeSlackUserSeed,
  FakeView,
  ResponseUrlContext,
  ResponseUrlPost,
} from './types.js';

/** Internal: the fake workspace's state, shared by the method handlers and the inspection helpers. */

export interface TriggerState {
  issuedAt: number;
  used: boolean;
  user?: string;
}

export interface Workspace {
  readonly identity: FakeSlackIdentity;
  readonly clock: Clock;
  readonly strictChannels: boolean;
  readonly triggerTtlMs: number;
  readonly users: Map<string, FakeSlackUserSeed>;
  readonly channels: Map<string, FakeSlackChannelSeed>;
  readonly usergroups: Map<string, FakeSlackUsergroupSeed>;
  /** Live messages in post order; deleted ones are removed. */
  readonly messages: FakeMessage[];
  readonly ephemerals: FakeEphemeral[];
  readonly views: Map<string, FakeView>;
  readonly triggers: Map<string, TriggerState>;
  readonly responseContexts: Map<string, ResponseUrlContext>;
  readonly responses: ResponseUrlPost[];
  nextTs(): string;
  nextId(prefix: string): string;
  dmChannelId(userId: string): string;
  /** A user id given as a channel means the DM with that user, as in Slack. */
  resolveChannel(channel: string): string;
  findMessage(channel: string, ts: string): FakeMessage | undefined;
  /** `undefined` when the bot may post there, else Slack's error code. */
  channelError(channel: string): string | undefined;
}

export interface WorkspaceSeed {
  identity: FakeSlackIdentity;
  clock: Clock;
  strictChannels: boolean;
  triggerTtlMs: number;
  users: FakeSlackUserSeed[];
  channels: FakeSlackChannelSeed[];
  usergroups: FakeSlackUsergroupSeed[];
}

const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));

export function createWorkspace(seed: WorkspaceSeed): Workspace {
  const { identity, clock } = seed;
  const users = byId(seed.users);
  if (!users.has(identity.botUserId)) {
    users.set(identity.botUserId, { id: identity.botUserId, name: identity.botName, is_bot: true });
  }
  const channels = byId(seed.channels);
  const messages: FakeMessage[] = [];
  let lastMicros = 0;
  let idCounter = 0;
  const dmChannelId = (userId: string) => `D${userId.replace(/^[UW]/, '')}`;
  const isDm = (channel: string) => [...users.keys()].some((id) => dmChannelId(id) === channel);

  return {
    identity,
    clock,
    strictChannels: seed.strictChannels,
    triggerTtlMs: seed.triggerTtlMs,
    users,
    channels,
    usergroups: byId(seed.usergroups),
    messages,
    ephemerals: [],
    views: new Map(),
    triggers: new Map(),
    responseContexts: new Map(),
    responses: [],
    nextTs() {
      // Real ts values are epoch seconds with microseconds; keep them strictly increasing even on a frozen clock.
      lastMicros = Math.max(clock.now().getTime() * 1000, lastMicros + 100);
      return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
    },
    nextId(prefix) {
      idCounter += 1;
      return `${prefix}${String(idCounter).padStart(8, '0')}`;
    },
    dmChannelId,
    resolveChannel: (channel) => (/^[UW][A-Z0-9]+$/.test(channel) ? dmChannelId(channel) : channel),
    findMessage: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    channelError(channel) {
      const known = channels.get(channel);
      if (!known) return seed.strictChannels && !isDm(channel) ? 'channel_not_found' : undefined;
      if (known.is_archived) return 'is_archived';
      return known.is_member === false ? 'not_in_channel' : undefined;
    },
  };
}
