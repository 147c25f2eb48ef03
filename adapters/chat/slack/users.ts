import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import type { Clock } from '../../../src/ports/index.js';

/** Directory answers are cached this long: roles and emails change rarely, clicks come in bursts. */
const TTL_MS = 10 * 60_000;

export interface SlackDirectory {
  /** The clicker as the core needs them: display name, email (users.info) and the role-relevant groups. */
  user(userId: string): Promise<ChatUser>;
  /** Whether an incident can be given to this user: bots and deactivated accounts cannot own one. */
  canOwn(userId: string): Promise<boolean>;
}

interface Cached<T> {
  value: T;
  until: number;
}

/**
 * Slack user → email (`users.info`, needs `users:read.email`) and membership of the user groups the role
 * config names (`usergroups.users.list`). A lookup that fails yields no email and no groups, so the person
 * gets the default role and a clear "cannot see your email" answer rather than someone else's rights.
 */
export function createSlackDirectory(deps: {
  client: WebClient;
  clock: Clock;
  logger: Logger;
  groupIds: () => readonly string[];
}): SlackDirectory {
  const users = new Map<string, Cached<{ display: string; email: string | null; person: boolean }>>();
  const groups = new Map<string, Cached<ReadonlySet<string>>>();
  const now = () => deps.clock.now().getTime();

  async function profile(userId: string) {
    const hit = users.get(userId);
    if (hit && hit.until > now()) return hit.value;
    let value = { display: userId, email: null as string | null, person: true };
    try {
      const info = await deps.client.users.info({ user: userId });
      const u = info.user;
      value = {
        display: u?.profile?.display_name || u?.real_name || u?.name || userId,
        email: u?.profile?.email ?? null,
        person: !(u?.is_bot || u?.deleted || u?.id === 'USLACKBOT'),
      };
      users.set(userId, { value, until: now() + TTL_MS });
    } catch (error) {
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'users.info failed');
    }
    return value;
  }

  async function members(groupId: string): Promise<ReadonlySet<string>> {
    const hit = groups.get(groupId);
    if (hit && hit.until > now()) return hit.value;
    try {
      const result = await deps.client.usergroups.users.list({ usergroup: groupId });
      const value = new Set(result.users ?? []);
      groups.set(groupId, { value, until: now() + TTL_MS });
      return value;
    } catch (error) {
      deps.logger.warn(
        { group: groupId, err: error instanceof Error ? error.message : String(error) },
        'usergroups.users.list failed',
      );
      return new Set();
    }
  }

  return {
    canOwn: async (userId) => (await profile(userId)).person,
    async user(userId) {
      // Only Slack user-group ids (S…) can be resolved here; other entries are emails or user ids.
      const candidates = deps.groupIds().filter((id) => /^S[A-Z0-9]+$/.test(id));
      const [who, memberships] = await Promise.all([
        profile(userId),
        Promise.all(candidates.map(async (id) => ((await members(id)).has(userId) ? id : null))),
      ]);
      return {
        surface: 'slack',
        userId,
        display: who.display,
        email: who.email,
        groups: memberships.filter((id): id is string => id !== null),
      };
    },
  };
}
