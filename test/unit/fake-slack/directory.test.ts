import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const ALICE = {
  id: 'U0ALICE',
  name: 'alice',
  real_name: 'Alice Analyst',
  tz: 'Europe/Berlin',
  profile: { email: 'Alice@Example.com' },
};
const users = [ALICE, { id: 'U0BOB', name: 'bob' }, { id: 'U0SCANNER', name: 'scanner', is_bot: true }];
const channels = [
  { id: 'C0ALERTS', name: 'dlp-alerts', members: ['U0ALICE', 'U0BOB'] },
  { id: 'G0PRIV', name: 'dlp-leads', is_private: true },
];
const usergroups = [{ id: 'S0TRIAGE', handle: 'dlp-triage', name: 'DLP triage', users: ['U0ALICE', 'U0BOB'] }];

describe('fake Slack directory methods', () => {
  it('should answer users.info from the seeded directory', async () => {
    const { client } = await setup({ users });

    const { user } = await client.users.info({ user: 'U0ALICE' });
    const bot = await client.users.info({ user: 'U0SCANNER' });

    expect(user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice Analyst',
      tz: 'Europe/Berlin',
      is_bot: false,
      deleted: false,
      profile: { email: 'Alice@Example.com', real_name: 'Alice Analyst' },
    });
    expect(bot.user?.is_bot).toBe(true);
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('should look a user up by email, ignoring case', async () => {
    const { client } = await setup({ users });

    const { user } = await client.users.lookupByEmail({ email: 'alice@example.com' });

    expect(user?.id).toBe('U0ALICE');
    await expect(client.users.lookupByEmail({ email: 'nobody@example.com' })).rejects.toMatchObject({
      data: { error: 'users_not_found' },
    });
  });

  it('should see users added after start', async () => {
    const { fake, client } = await setup();
    fake.addUser({ id: 'U0CAROL', name: 'carol' });

    await expect(client.users.info({ user: 'U0CAROL' })).resolves.toMatchObject({ user: { name: 'carol' } });
  });

  it('should answer conversations.info for channels and opened DMs', async () => {
    const { fake, client } = await setup({ users, channels });

    const publicInfo = await client.conversations.info({ channel: 'C0ALERTS' });
    const privateInfo = await client.conversations.info({ channel: 'G0PRIV' });
    const dm = await client.conversations.open({ users: 'U0BOB' });
    const dmInfo = await client.conversations.info({ channel: dm.channel?.id as string });

    expect(publicInfo.channel).toMatchObject({ id: 'C0ALERTS', name: 'dlp-alerts', is_private: false, num_members: 2 });
    expect(privateInfo.channel).toMatchObject({ is_private: true, is_channel: false });
    expect(dm.channel?.id).toBe(fake.dmChannelId('U0BOB'));
    expect(dmInfo.channel).toMatchObject({ is_im: true, user: 'U0BOB' });
    await expect(client.conversations.info({ channel: 'C0GONE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('should refuse to open a DM with an unknown user', async () => {
    const { client } = await setup({ users });

    await expect(client.conversations.open({ users: 'U0NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('should list usergroups and their members', async () => {
    const { client } = await setup({ users, usergroups });

    const members = await client.usergroups.users.list({ usergroup: 'S0TRIAGE' });
    const groups = await client.usergroups.list({ include_users: true });

    expect(members.users).toEqual(['U0ALICE', 'U0BOB']);
    expect(groups.usergroups).toMatchObject([{ id: 'S0TRIAGE', handle: 'dlp-triage', user_count: 2 }]);
    expect(groups.usergroups?.[0]?.users).toEqual(['U0ALICE', 'U0BOB']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });
});
