import { type ChannelInfo, type ConversationReference, TeamsInfo, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../../src/log.js';
import type { Clock } from '../../../src/ports/index.js';
import type { ConversationRefRecord, ConversationRefRepo } from '../../../src/store/index.js';
import type { ServiceUrlPolicy } from './service-url.js';

type ConversationType = ConversationRefRecord['conversationType'];

/** What we keep of a reference: enough to post, nothing about the message or the person who sent it. */
const StoredReference = z.looseObject({
  channelId: z.string().min(1),
  serviceUrl: z.url(),
  bot: z.looseObject({ id: z.string().min(1) }).optional(),
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  /** Ours, not botbuilder's: the team's AAD group id, which deep links to channel messages need. */
  team: z.looseObject({ aadGroupId: z.string().min(1) }).optional(),
});

/** A channel thread's conversation id is the channel's, plus `;messageid=<root>`. */
export const channelOf = (conversationId: string): string => conversationId.split(';')[0] ?? conversationId;

export const threadConversation = (channel: string, rootMessageId: string): string =>
  `${channelOf(channel)};messageid=${rootMessageId}`;

const typeOf = (value: unknown): ConversationType =>
  value === 'personal' || value === 'groupChat' || value === 'channel' ? value : 'personal';

export interface Conversation {
  id: string;
  type: ConversationType;
  reference: Partial<ConversationReference>;
  /** The team's AAD group id, for a channel whose team sent it (`channelData.team.aadGroupId`). */
  groupId?: string | undefined;
}

export interface ConversationBook {
  /**
   * Remembers where this activity came from (every turn: references change when a service URL moves).
   * True when the conversation was new to the bot.
   */
  remember(context: TurnContext): boolean;
  /** The app was added to a team: remember every channel of it, so routes can name any of them. */
  rememberTeam(context: TurnContext): Promise<void>;
  find(conversationId: string): Conversation | null;
  /** The user's 1:1 chat with the bot, if there has been one. */
  personal(userAadId: string): Conversation | null;
  /**
   * A stored conversation to borrow the service URL, tenant and bot account from when the bot opens a chat by
   * itself (a DM to someone who never wrote to it); a team's channel first, the newest. Null before any.
   */
  anyPlace(): Conversation | null;
  /** Remembers a 1:1 chat the bot opened itself (no activity came from it yet). */
  rememberPersonal(reference: Partial<ConversationReference>, userAadId: string): void;
  forget(conversationId: string): void;
  /** The app was removed from a team or chat: forget it, and every channel of the team. */
  uninstalled(context: TurnContext): void;
}

export function createConversationBook(deps: {
  repo: () => ConversationRefRepo;
  clock: Clock;
  logger: Logger;
  /** Which service URLs may be stored and used, and whether activities may move a stored one. */
  serviceUrls: ServiceUrlPolicy;
  /** A team's channels; the adapter's own (each request once, through the proxy) rather than TeamsInfo's client. */
  teamChannels?: (context: TurnContext, teamId: string) => Promise<ChannelInfo[]>;
}): ConversationBook {
  const teamChannels = deps.teamChannels ?? ((context, teamId) => TeamsInfo.getTeamChannels(context, teamId));
  const { serviceUrls } = deps;
  const toConversation = (record: ConversationRefRecord | null): Conversation | null => {
    if (!record) return null;
    const parsed = StoredReference.safeParse(JSON.parse(record.reference));
    if (!parsed.success) {
      deps.logger.warn({ conversation: record.conversationId }, 'stored Teams conversation reference is unreadable');
      return null;
    }
    // Stored before the allowlist was (or under another one): never sent to.
    if (!serviceUrls.allows(parsed.data.serviceUrl)) {
      deps.logger.warn(
        { conversation: record.conversationId, serviceUrl: parsed.data.serviceUrl, allowed: serviceUrls.described },
        'stored Teams conversation names a service URL off the allowlist (chat.teams.serviceUrls); not used',
      );
      return null;
    }
    // `team` stays out of the reference: botbuilder would carry it into every proactive turn.
    const { team, ...reference } = parsed.data;
    return {
      id: record.conversationId,
      type: record.conversationType,
      reference: reference as unknown as Partial<ConversationReference>,
      groupId: team?.aadGroupId,
    };
  };

  /** Stores the reference; true when the conversation was not known before. */
  function put(
    reference: Partial<ConversationReference>,
    extra: { user: string | null; team: string | null; label: string | null; groupId?: string | undefined },
  ): boolean {
    const conversation = reference.conversation;
    if (!conversation?.id || !reference.serviceUrl || !reference.channelId) return false;
    const id = channelOf(conversation.id);
    if (!serviceUrls.allows(reference.serviceUrl)) {
      deps.logger.warn(
        { conversation: id, serviceUrl: reference.serviceUrl, allowed: serviceUrls.described },
        'Teams conversation not stored: its service URL is off the allowlist (chat.teams.serviceUrls)',
      );
      return false;
    }
    const record = deps.repo().get(id);
    const known = record !== null;
    const type = typeOf(conversation.conversationType);
    const before = toConversation(record);
    // Not every activity from a team carries the group id; one that lacks it must not erase a known one.
    const groupId = extra.groupId ?? before?.groupId;
    const serviceUrl = keptServiceUrl(id, before, reference.serviceUrl);
    const stored = {
      channelId: reference.channelId,
      serviceUrl,
      ...(reference.bot ? { bot: { id: reference.bot.id, name: reference.bot.name } } : {}),
      conversation: {
        id,
        conversationType: type,
        isGroup: type !== 'personal',
        ...(conversation.tenantId ? { tenantId: conversation.tenantId } : {}),
      },
      ...(groupId ? { team: { aadGroupId: groupId } } : {}),
    };
    deps.repo().put({
      conversationId: id,
      conversationType: type,
      userAadId: type === 'personal' ? extra.user : null,
      teamId: extra.team,
      label: extra.label,
      reference: JSON.stringify(stored),
      updatedAt: deps.clock.now(),
    });
    if (!known) {
      // Operators name these ids in routes and chat.teams.defaultChannel; this is where they find them.
      deps.logger.info({ conversation: id, type, label: extra.label }, 'Teams conversation registered');
    }
    return !known;
  }

  /**
   * Teams moves a tenant's service URL now and then, and a token vouches for the new one; without tokens (`auth:
   * none`) anyone on the host could send the same conversation's cards elsewhere, so the first one stays.
   */
  function keptServiceUrl(id: string, before: Conversation | null, offered: string): string {
    const current = before?.reference.serviceUrl;
    if (!current || current === offered || serviceUrls.authenticated) return offered;
    deps.logger.warn(
      { conversation: id, stored: current, offered },
      'unauthenticated Teams activity names another service URL for a stored conversation; the stored one is kept',
    );
    return current;
  }

  const teamOf = (context: TurnContext) =>
    (context.activity.channelData as { team?: { id?: string; name?: string; aadGroupId?: string } } | undefined)?.team;

  return {
    remember(context) {
      const activity = context.activity;
      const team = teamOf(context);
      const channel = (activity.channelData as { channel?: { name?: string } } | undefined)?.channel;
      try {
        return put(TurnContext.getConversationReference(activity), {
          user: activity.from?.aadObjectId ?? null,
          team: team?.id ?? null,
          label: team ? `${team.name ?? 'team'} / ${channel?.name ?? 'General'}` : null,
          groupId: team?.aadGroupId,
        });
      } catch (error) {
        deps.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'could not store a Teams conversation reference',
        );
        return false;
      }
    },
    async rememberTeam(context) {
      const team = teamOf(context);
      if (!team?.id) return;
      const base = TurnContext.getConversationReference(context.activity);
      try {
        const channels = await teamChannels(context, team.id);
        for (const channel of channels) {
          if (!channel.id) continue;
          put(
            {
              ...base,
              conversation: { ...base.conversation, id: channel.id, conversationType: 'channel', isGroup: true },
            } as Partial<ConversationReference>,
            {
              user: null,
              team: team.id,
              label: `${team.name ?? 'team'} / ${channel.name ?? 'General'}`,
              groupId: team.aadGroupId,
            },
          );
        }
        deps.logger.info(
          { team: team.id, channels: channels.map((c) => ({ id: c.id, name: c.name ?? 'General' })) },
          'Teams app installed in a team; its channels can now be named in routes',
        );
      } catch (error) {
        deps.logger.warn(
          { err: error instanceof Error ? error.message : String(error), team: team.id },
          "could not list the team's channels",
        );
      }
    },
    find: (conversationId) => toConversation(deps.repo().get(channelOf(conversationId))),
    personal: (userAadId) => toConversation(deps.repo().personalFor(userAadId)),
    anyPlace() {
      const rank = (r: ConversationRefRecord) => (r.teamId ? 0 : 1);
      const sorted = deps
        .repo()
        .list()
        .sort((a, b) => rank(a) - rank(b) || b.updatedAt.getTime() - a.updatedAt.getTime());
      for (const record of sorted) {
        const found = toConversation(record);
        if (found) return found;
      }
      return null;
    },
    rememberPersonal(reference, userAadId) {
      const conversation = {
        ...reference.conversation,
        conversationType: 'personal',
      } as ConversationReference['conversation'];
      put({ ...reference, conversation }, { user: userAadId, team: null, label: null });
    },
    uninstalled(context) {
      const team = teamOf(context);
      const forgotten = team?.id ? deps.repo().removeTeam(team.id) : 0;
      if (forgotten > 0) deps.logger.warn({ team: team?.id, forgotten }, 'the app was removed from a Teams team');
      this.forget(context.activity.conversation.id);
    },
    forget(conversationId) {
      if (deps.repo().remove(channelOf(conversationId))) {
        deps.logger.warn(
          { conversation: conversationId },
          'the bot is no longer in this Teams conversation; reference dropped',
        );
      }
    },
  };
}
