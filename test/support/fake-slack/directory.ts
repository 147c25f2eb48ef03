import { fail, type Handler, ok, str } from './protocol.js';
import type { FakeSlackUserSeed, Json } from './types.js';
import type { Workspace } from './workspace.js';

/** Internal: auth.test and the read-only directory methods, answered from what the test seeded. */

function slackUser(ws: Workspace, user: FakeSlackUserSeed): Json {
  const realName = user.real_name ?? user.name;
  return {
    id: user.id,
    team_id: ws.identity.teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz: user.tz ?? 'UTC',
    is_bot: user.is_bot ?? false,
    is_app_user: false,
    profile: {
      real_name: realName,
      display_name: user.profile?.display_name ?? user.name,
      ...(user.profile?.email ? { email: user.profile.email } : {}),
      team: ws.identity.teamId,
    },
  };
}

export function directoryMethods(ws: Workspace): Record<string, Handler> {
  const { identity } = ws;
  const dmOwner = (channel: string) => [...ws.users.keys()].find((id) => ws.dmChannelId(id) === channel);

  return {
    'auth.test': () =>
      ok({
        url: `https://${identity.teamDomain}.slack.com/`,
        team: identity.teamName,
        user: identity.botName,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        bot_id: identity.botId,
        is_enterprise_install: false,
      }),
    'users.info': (args) => {
      const user = ws.users.get(str(args, 'user') ?? '');
      return user ? ok({ user: slackUser(ws, user) }) : fail('user_not_found');
    },
    'users.lookupByEmail': (args) => {
      const email = (str(args, 'email') ?? '').toLowerCase();
      const user = [...ws.users.values()].find((u) => u.profile?.email?.toLowerCase() === email);
      return user && email !== '' ? ok({ user: slackUser(ws, user) }) : fail('users_not_found');
    },
    'conversations.info': (args) => {
      const id = str(args, 'channel') ?? '';
      const channel = ws.channels.get(id);
      if (channel) {
        return ok({
          channel: {
            id,
            name: channel.name,
            is_channel: !channel.is_private,
            is_group: false,
            is_im: false,
            is_private: channel.is_private ?? false,
            is_archived: channel.is_archived ?? false,
            is_member: channel.is_member ?? true,
            ...(channel.members ? { num_members: channel.members.length } : {}),
          },
        });
      }
      const owner = dmOwner(id);
      if (owner) return ok({ channel: { id, is_im: true, is_private: true, user: owner, is_open: true } });
      return fail('channel_not_found');
    },
    'conversations.open': (args) => {
      const users = (str(args, 'users') ?? '').split(',').filter((u) => u !== '');
      if (users.length === 0) return fail('users_list_not_supplied');
      if (users.length > 1) return fail('not_supported', { detail: 'the fake opens one-to-one DMs only' });
      const [user = ''] = users;
      if (!ws.users.has(user)) return fail('user_not_found');
      return ok({ channel: { id: ws.dmChannelId(user) } });
    },
    'usergroups.list': (args) =>
      ok({
        usergroups: [...ws.usergroups.values()].map((g) => ({
          id: g.id,
          team_id: identity.teamId,
          handle: g.handle,
          name: g.name ?? g.handle,
          user_count: g.users.length,
          ...(str(args, 'include_users') === 'true' ? { users: g.users } : {}),
        })),
      }),
    'usergroups.users.list': (args) => {
      const group = ws.usergroups.get(str(args, 'usergroup') ?? '');
      return group ? ok({ users: group.users }) : fail('no_such_subteam');
    },
  };
}
