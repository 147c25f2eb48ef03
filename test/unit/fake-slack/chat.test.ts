import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const ALICE = { id: 'U0ALICE', name: 'alice', profile: { email: 'alice@example.com' } };
const BOB = { id: 'U0BOB', name: 'bob' };
const SECTION = { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*DLP-1* breached' } };

describe('fake Slack chat methods', () => {
  it('should answer auth.test with the bot identity Bolt needs', async () => {
    const { fake, client } = await setup();

    const result = await client.auth.test();

    expect(result).toMatchObject({ ok: true, user_id: 'U0FAKEBOT', bot_id: 'B0FAKEBOT', team_id: 'T0FAKE' });
    expect(fake.identity.botUserId).toBe('U0FAKEBOT');
  });

  it('should post a message with blocks, metadata and text and return Slack-shaped ts values', async () => {
    const { fake, client } = await setup();
    const metadata = { event_type: 'dlp_incident', event_payload: { id: 'DLP-1' } };

    const first = await client.chat.postMessage({
      channel: 'C0ALERTS',
      text: 'DLP-1 breached',
      blocks: [SECTION],
      metadata,
    });
    const second = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'DLP-2 breached' });

    expect(first).toMatchObject({
      ok: true,
      channel: 'C0ALERTS',
      message: { text: 'DLP-1 breached', bot_id: 'B0FAKEBOT' },
    });
    expect(first.ts).toBe('1795428000.000000');
    expect(second.ts).toBe('1795428000.000100');
    expect(fake.messages('C0ALERTS')).toMatchObject([
      { ts: first.ts, text: 'DLP-1 breached', blocks: [SECTION], metadata, hasFallbackText: true, updateCount: 0 },
      { ts: second.ts, text: 'DLP-2 breached' },
    ]);
  });

  it('should derive ts from the injected clock and keep it increasing', async () => {
    const { client, clock } = await setup();
    const before = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    clock.advance(1_500);

    const after = await client.chat.postMessage({ channel: 'C1', text: 'b' });

    expect(after.ts).toBe('1795428001.500000');
    expect(Number(after.ts)).toBeGreaterThan(Number(before.ts));
  });

  it('should record the call with nested JSON already parsed and the token presented', async () => {
    const { fake, client } = await setup();

    await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks: [SECTION], unfurl_links: false });

    const [call] = fake.calls('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', token: fake.token, status: 200, response: { ok: true } });
    expect(call?.args).toMatchObject({ channel: 'C1', text: 'hi', blocks: [SECTION], unfurl_links: 'false' });
    expect(fake.calls().map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('should note when a message has blocks but no notification fallback text', async () => {
    const { fake, client } = await setup();

    await client.chat.postMessage({ channel: 'C1', blocks: [SECTION] });

    expect(fake.messages('C1')[0]).toMatchObject({ hasFallbackText: false, blocks: [SECTION] });
    expect(fake.messages('C1')[0]?.text).toBeUndefined();
  });

  it('should keep thread replies apart from top-level messages', async () => {
    const { fake, client } = await setup();
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'DLP-1 breached' });

    const reply = await client.chat.postMessage({ channel: 'C1', text: 'assigned', thread_ts: parent.ts as string });

    expect(reply.message).toMatchObject({ thread_ts: parent.ts });
    expect(fake.threadReplies('C1', parent.ts as string)).toMatchObject([{ ts: reply.ts, text: 'assigned' }]);
    expect(fake.messages('C1')).toHaveLength(2);
    expect(fake.messages('C1', { topLevelOnly: true }).map((m) => m.ts)).toEqual([parent.ts]);
  });

  it('should update a message in place and keep blocks the update leaves out', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'open', blocks: [SECTION] });

    const updated = await client.chat.update({ channel: 'C1', ts: ts as string, text: 'acknowledged' });

    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts });
    expect(fake.messages('C1')).toMatchObject([{ ts, text: 'acknowledged', blocks: [SECTION], updateCount: 1 }]);
    expect(fake.messages('C1')[0]?.edited?.user).toBe('U0FAKEBOT');
  });

  it('should hand out copies: one read before an update keeps what was true then, and none can change the record', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'open', blocks: [SECTION] });
    const before = fake.messages('C1');
    const callsBefore = fake.calls('chat.postMessage');

    await client.chat.update({ channel: 'C1', ts: ts as string, text: 'acknowledged' });

    expect(before).toMatchObject([{ text: 'open', updateCount: 0 }]);
    expect(fake.messages('C1')).toMatchObject([{ text: 'acknowledged', updateCount: 1 }]);
    expect(fake.threadReplies('C1', ts as string)).toEqual([]);
    expect(fake.calls('chat.postMessage')).toEqual(callsBefore);
    const [copy] = fake.messages('C1');
    expect(() => Object.assign(copy ?? {}, { text: 'changed' })).toThrow(TypeError);
    expect(() => Object.assign(callsBefore[0]?.args ?? {}, { text: 'changed' })).toThrow(TypeError);
    expect(fake.messages('C1')[0]?.text).toBe('acknowledged');
    expect(fake.calls('chat.postMessage')[0]?.args.text).toBe('open');
  });

  it('should drop blocks when an update sends an empty list', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'open', blocks: [SECTION] });

    await client.chat.update({ channel: 'C1', ts: ts as string, text: 'closed', blocks: [] });

    expect(fake.messages('C1')[0]?.blocks).toBeUndefined();
  });

  it('should answer message_not_found for an unknown ts on update and delete', async () => {
    const { client } = await setup();

    await expect(client.chat.update({ channel: 'C1', ts: '1.000100', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
    await expect(client.chat.delete({ channel: 'C1', ts: '1.000100' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('should delete a message so it no longer shows', async () => {
    const { fake, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'oops' });

    await client.chat.delete({ channel: 'C1', ts: ts as string });

    expect(fake.messages('C1')).toEqual([]);
  });

  it('should post an ephemeral to a channel member and answer message_ts', async () => {
    const { fake, client } = await setup({
      users: [ALICE],
      channels: [{ id: 'C1', name: 'dlp', members: ['U0ALICE'] }],
    });

    const result = await client.chat.postEphemeral({ channel: 'C1', user: 'U0ALICE', text: 'Only you can see this' });

    expect(result).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    expect(fake.ephemerals('U0ALICE')).toMatchObject([
      { channel: 'C1', user: 'U0ALICE', text: 'Only you can see this', via: 'chat.postEphemeral' },
    ]);
    expect(fake.messages('C1')).toEqual([]);
  });

  it('should refuse an ephemeral for a user outside the channel or unknown to the workspace', async () => {
    const { client } = await setup({
      users: [ALICE, BOB],
      channels: [{ id: 'C1', name: 'dlp', members: ['U0ALICE'] }],
    });

    await expect(client.chat.postEphemeral({ channel: 'C1', user: 'U0BOB', text: 'x' })).rejects.toMatchObject({
      data: { error: 'user_not_in_channel' },
    });
    await expect(client.chat.postEphemeral({ channel: 'C1', user: 'U0NOBODY', text: 'x' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('should post to a user id as a DM in the channel conversations.open returns', async () => {
    const { fake, client } = await setup({ users: [ALICE] });

    const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'digest' });
    const opened = await client.conversations.open({ users: 'U0ALICE' });

    expect(posted.channel).toBe(fake.dmChannelId('U0ALICE'));
    expect(opened.channel?.id).toBe(posted.channel);
    expect(fake.messages(posted.channel as string)).toHaveLength(1);
  });

  it('should answer channel errors as Slack does', async () => {
    const { client } = await setup({
      strictChannels: true,
      channels: [
        { id: 'C0OUT', name: 'out', is_member: false },
        { id: 'C0OLD', name: 'old', is_archived: true },
      ],
    });
    const post = (channel: string) => client.chat.postMessage({ channel, text: 'x' });

    await expect(post('C0NOWHERE')).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(post('C0OUT')).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(post('C0OLD')).rejects.toMatchObject({ data: { error: 'is_archived' } });
  });

  it('should give a permalink for a message it holds, with the thread for a reply, and refuse others', async () => {
    const { client } = await setup();
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'DLP-1 breached' });
    const reply = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'taken', thread_ts: parent.ts });

    const link = await client.chat.getPermalink({ channel: 'C0ALERTS', message_ts: String(parent.ts) });
    const replyLink = await client.chat.getPermalink({ channel: 'C0ALERTS', message_ts: String(reply.ts) });

    expect(link).toMatchObject({
      ok: true,
      channel: 'C0ALERTS',
      permalink: `https://fake-workspace.slack.com/archives/C0ALERTS/p${String(parent.ts).replace('.', '')}`,
    });
    expect(replyLink.permalink).toBe(
      `https://fake-workspace.slack.com/archives/C0ALERTS/p${String(reply.ts).replace('.', '')}?thread_ts=${parent.ts}&cid=C0ALERTS`,
    );
    await expect(client.chat.getPermalink({ channel: 'C0ALERTS', message_ts: '1.000900' })).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
  });
});
