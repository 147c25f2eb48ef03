import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import type { Clock } from '../../../src/ports/index.js';
import type { Analyst } from './config.js';
import type { GroupLookup } from './groups.js';

/** Member lookups are cached this long: emails change rarely, clicks come in bursts. */
const TTL_MS = 10 * 60_000;

export interface TeamsDirectory {
  /** The sender of this activity: AAD object id, display name and email (UPN) from the conversation's roster. */
  sender(context: TurnContext): Promise<ChatUser>;
  /**
   * A person an incident can be assigned to, by email: a member of this team or chat, or one of the configured
   * analysts. Null when neither (Teams' roster answers only for members).
   */
  assignee(context: TurnContext, email: string): Promise<ChatUser | null>;
}

interface Member {
  aadObjectId: string | null;
  display: string;
  email: string | null;
}

const statusOf = (error: unknown) => (error as { statusCode?: number })?.statusCode;

/**
 * Teams user → AAD object id → email. The activity names the sender by id only; their email (UPN) comes from
 * the conversation's member roster (`GET v3/conversations/{id}/members/{user}`). A failed lookup yields no
 * email, so the person gets the default role and a clear answer rather than someone else's rights.
 */
export function createTeamsDirectory(deps: {
  clock: Clock;
  logger: Logger;
  analysts: readonly Analyst[];
  /** AAD group membership (Graph); absent when the bot has no app credentials. */
  groups?: GroupLookup | undefined;
  /** The group ids the role config names. */
  groupIds: () => readonly string[];
}): TeamsDirectory {
  const cache = new Map<string, { value: Member | null; until: number }>();
  const now = () => deps.clock.now().getTime();

  async function member(context: TurnContext, id: string): Promise<Member | null> {
    const key = `${context.activity.conversation?.id ?? ''}|${id.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.value;
    let value: Member | null = null;
    try {
      const m = await TeamsInfo.getMember(context, id);
      const email = m.email ?? (m.userPrincipalName?.includes('@') ? m.userPrincipalName : undefined);
      value = {
        aadObjectId: m.aadObjectId ?? null,
        display: m.name || email || id,
        email: email?.toLowerCase() ?? null,
      };
      cache.set(key, { value, until: now() + TTL_MS });
    } catch (error) {
      if (statusOf(error) === 404) cache.set(key, { value: null, until: now() + TTL_MS });
      else deps.logger.warn({ status: statusOf(error) ?? null }, 'Teams member lookup failed');
    }
    return value;
  }

  return {
    async sender(context) {
      const from = context.activity.from;
      const found = from?.id ? await member(context, from.id) : null;
      const aadObjectId = from?.aadObjectId ?? found?.aadObjectId ?? null;
      const userId = aadObjectId ?? from?.id ?? 'unknown';
      const groups = aadObjectId && deps.groups ? await deps.groups(aadObjectId, deps.groupIds()) : [];
      return {
        surface: 'teams',
        userId,
        display: found?.display ?? from?.name ?? userId,
        email: found?.email ?? null,
        groups,
      };
    },
    async assignee(context, email) {
      const wanted = email.trim().toLowerCase();
      const found = await member(context, wanted);
      if (found?.email) {
        return {
          surface: 'teams',
          userId: found.aadObjectId ?? found.email,
          display: found.display,
          email: found.email,
          groups: [],
        };
      }
      const analyst = deps.analysts.find((a) => a.email.toLowerCase() === wanted);
      return analyst ? { surface: 'teams', userId: wanted, display: analyst.display, email: wanted, groups: [] } : null;
    },
  };
}
