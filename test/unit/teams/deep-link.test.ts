import { describe, expect, it } from 'vitest';
import { teamsMessageLink } from '../../../adapters/chat/teams/deep-link.js';

const TENANT = '0d9b645f-597b-41f0-a2a3-ef103fbd91bb';
const GROUP = '3606f714-ec2e-41b3-9ad1-6afb331bd35d';
const channel = { conversationId: '19:3997a8734ee5432bb9cdedb7c432ae7d@thread.tacv2', type: 'channel' as const };

/** The link, or the test fails with the reason the builder gave. */
function linkTo(...args: Parameters<typeof teamsMessageLink>): URL {
  const result = teamsMessageLink(...args);
  if (!result.ok) throw new Error(result.error);
  return new URL(result.value);
}

describe('Teams deep link to a message', () => {
  it('should link a thread root in a channel, the root being its own parent', () => {
    const url = linkTo({ ...channel, tenantId: TENANT, groupId: GROUP }, { messageId: '1648741500652' });
    expect(url.origin + url.pathname).toBe(
      'https://teams.microsoft.com/l/message/19%3A3997a8734ee5432bb9cdedb7c432ae7d%40thread.tacv2/1648741500652',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenantId: TENANT,
      groupId: GROUP,
      parentMessageId: '1648741500652',
    });
  });

  it("should link a reply to itself inside its thread, with the thread's root as parent", () => {
    const url = linkTo(
      { ...channel, tenantId: TENANT, groupId: GROUP },
      { messageId: '1648741599999', threadId: '1648741500652' },
    );
    expect(url.pathname.endsWith('/1648741599999')).toBe(true);
    expect(url.searchParams.get('parentMessageId')).toBe('1648741500652');
  });

  it('should escape every id, so none can add a path segment or a parameter', () => {
    const url = linkTo(
      { conversationId: '19:a/b?c@thread.tacv2;messageid=1', type: 'channel', tenantId: 't&x=1', groupId: 'g#h' },
      { messageId: '1/2?3', threadId: 'r&s' },
    );
    // A thread conversation id (`…;messageid=<root>`) links to the channel it belongs to.
    expect(url.pathname).toBe('/l/message/19%3Aa%2Fb%3Fc%40thread.tacv2/1%2F2%3F3');
    expect(url.hash).toBe('');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tenantId: 't&x=1', groupId: 'g#h', parentMessageId: 'r&s' });
  });

  it('should say which id is missing for a channel instead of building a link Teams cannot open', () => {
    expect(teamsMessageLink({ ...channel, tenantId: TENANT }, { messageId: '1' })).toEqual({
      ok: false,
      error: expect.stringContaining('no team group id'),
    });
    expect(teamsMessageLink({ ...channel, groupId: GROUP }, { messageId: '1' })).toEqual({
      ok: false,
      error: expect.stringContaining('no tenant id'),
    });
  });

  it("should link a message in a group chat with the chat context, and refuse the bot's personal chat", () => {
    const url = linkTo(
      { conversationId: '19:meeting_abc@thread.v2', type: 'groupChat', tenantId: TENANT },
      { messageId: '1563480968434' },
    );
    expect(url.pathname).toBe('/l/message/19%3Ameeting_abc%40thread.v2/1563480968434');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tenantId: TENANT, context: '{"contextType":"chat"}' });
    expect(
      teamsMessageLink({ conversationId: 'a:personal', type: 'personal', tenantId: TENANT }, { messageId: '1' }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('personal chat') });
  });
});
