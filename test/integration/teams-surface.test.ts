import { afterEach, describe, expect, it } from 'vitest';
import { teams } from '../../adapters/chat/teams/index.js';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { composition } from '../../src/main.js';
import type { ChatSurface } from '../../src/ports/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { textView } from '../../src/views/view.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-teams/index.js';
import { fixedClock } from '../support/fixed-clock.js';

const CHANNEL = '19:alerts@thread.tacv2';
const CHAT = 'a:personal-chat';
let connector: FakeConnector;
let store: Store;

afterEach(async () => {
  store?.close();
  await connector?.close();
});

async function setUp(): Promise<ChatSurface> {
  connector = await startFakeConnector({ members: [] });
  store = openStore(':memory:');
  for (const [id, type] of [
    [CHANNEL, 'channel'],
    [CHAT, 'personal'],
  ] as const) {
    store.conversationRefs.put({
      conversationId: id,
      conversationType: type,
      userAadId: type === 'personal' ? 'aad-ana' : null,
      teamId: null,
      label: null,
      reference: JSON.stringify({
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        bot: { id: '28:bot' },
        conversation: { id, conversationType: type, tenantId: 't' },
      }),
      updatedAt: new Date(),
    });
  }
  const parsed = parseConfigText(
    'sources: [{ id: pan-prod, vendor: paloalto, clientIdEnv: A, clientSecretEnv: B }]\nchat: { teams: { port: 0, auth: none } }\n',
    '/etc/dlp-bot.yaml',
    { A: 'a', B: 'b' },
    ADAPTERS.map((a) => a.config),
    composition.surfaces({ write: () => true }).map((s) => s.config),
  );
  if (parsed.kind !== 'file') throw new Error('config rejected');
  const surface = await teams.create(parsed.config.chat.teams, {
    logger: silentLogger,
    clock: fixedClock(new Date('2026-11-01T00:00:00Z')),
    store: () => store,
  });
  if (!surface) throw new Error('Teams was not enabled');
  return surface;
}

describe('Teams surface (against the fake connector)', () => {
  it('should post to the conversation itself, reply in the channel thread, and in a chat as a reply', async () => {
    const surface = await setUp();
    const posted = await surface.post(CHANNEL, textView('Breach', 'pan-prod:1'));
    if (!posted.ok) throw new Error(posted.error.message);
    expect(connector.message(posted.value.messageId)).toMatchObject({ conversationId: CHANNEL, replyToId: null });
    expect((await surface.reply(posted.value, textView('Taken', 'taken by ana'))).ok).toBe(true);
    expect(
      connector.messages().filter((m) => m.conversationId === `${CHANNEL};messageid=${posted.value.messageId}`),
    ).toHaveLength(1);
    const inChat = await surface.post(CHAT, textView('Breach', 'pan-prod:2'));
    if (!inChat.ok) throw new Error(inChat.error.message);
    await surface.reply(inChat.value, textView('Taken', 'taken by ana'));
    expect(
      connector
        .messages()
        .filter((m) => m.conversationId === CHAT)
        .map((m) => m.replyToId),
    ).toEqual([null, inChat.value.messageId]);
    expect((await surface.ephemeral('aad-ana', CHANNEL, textView('Private', 'only you'))).ok).toBe(true);
    expect((await surface.ephemeral('aad-nobody', CHANNEL, textView('Private', 'only you'))).ok).toBe(false);
  });

  it('should report 429 with its Retry-After, and forget a conversation the bot was removed from', async () => {
    const surface = await setUp();
    // The connector client itself retries a 429 three times, as told by Retry-After; then the send queue decides.
    connector.failNext({ method: 'POST' }, { status: 429, headers: { 'retry-after': '1' } }, 4);
    const throttled = await surface.post(CHANNEL, textView('Breach', 'x'));
    expect(throttled).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 1_000 } });
    expect(connector.calls.map((c) => c.status)).toEqual([429, 429, 429, 429]);
    connector.failNext({ method: 'POST' }, { status: 403, code: 'BotNotInConversationRoster' });
    const gone = await surface.post(CHANNEL, textView('Breach', 'x'));
    expect(gone).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(store.conversationRefs.get(CHANNEL)).toBeNull();
    const unknown = await surface.post(CHANNEL, textView('Breach', 'x'));
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'rejected', message: expect.stringContaining('add the app') },
    });
  });
});
