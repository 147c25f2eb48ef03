import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const card = (id: string) => ({
  channel: 'C1',
  text: `card ${id}`,
  metadata: { event_type: 'dlp_incident', event_payload: { source: 'pan', id } },
});

describe('fake Slack conversations.history and conversations.replies', () => {
  it('should list top-level messages newest first, with metadata only when asked for', async () => {
    const { fake, client } = await setup();
    const a = await client.chat.postMessage(card('A'));
    await client.chat.postMessage({ channel: 'C1', thread_ts: a.ts as string, text: 'reply' });
    await client.chat.postMessage(card('B'));
    await client.chat.postMessage({ channel: 'C2', text: 'elsewhere' });

    const plain = await client.conversations.history({ channel: 'C1' });
    const full = await client.conversations.history({ channel: 'C1', include_all_metadata: true });

    expect(plain.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['card B', undefined],
      ['card A', undefined],
    ]);
    expect(full.messages?.map((m) => m.metadata?.event_payload)).toEqual([
      { source: 'pan', id: 'B' },
      { source: 'pan', id: 'A' },
    ]);
    expect(full.messages?.[0]).toMatchObject({ bot_id: fake.identity.botId, user: fake.identity.botUserId });
  });

  it('should keep to the window after oldest and page with a cursor', async () => {
    const { client, clock } = await setup();
    await client.chat.postMessage(card('old'));
    clock.advance(60_000);
    const since = ((clock.now().getTime() - 1) / 1000).toFixed(6);
    for (const id of ['1', '2', '3']) await client.chat.postMessage(card(id));

    const first = await client.conversations.history({ channel: 'C1', oldest: since, limit: 2 });
    const second = await client.conversations.history({
      channel: 'C1',
      oldest: since,
      limit: 2,
      cursor: first.response_metadata?.next_cursor as string,
    });

    expect(first.messages?.map((m) => m.text)).toEqual(['card 3', 'card 2']);
    expect(first.has_more).toBe(true);
    expect(second.messages?.map((m) => m.text)).toEqual(['card 1']);
    expect(second.has_more).toBe(false);
  });

  it('should list a thread: its parent, then its replies', async () => {
    const { client } = await setup();
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'roll-up' });
    await client.chat.postMessage({ ...card('A'), thread_ts: parent.ts as string });

    const thread = await client.conversations.replies({
      channel: 'C1',
      ts: parent.ts as string,
      include_all_metadata: true,
    });

    expect(thread.messages?.map((m) => [m.text, m.metadata?.event_type])).toEqual([
      ['roll-up', undefined],
      ['card A', 'dlp_incident'],
    ]);
    await expect(client.conversations.replies({ channel: 'C1', ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });

  it('should answer missing_scope, naming the scope, without the optional history scopes', async () => {
    const { client } = await setup({
      historyScopes: false,
      channels: [{ id: 'G1', name: 'secret', is_private: true }],
    });

    await expect(client.conversations.history({ channel: 'C1' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'channels:history' },
    });
    await expect(client.conversations.replies({ channel: 'G1', ts: '1.0' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'groups:history' },
    });
  });
});
