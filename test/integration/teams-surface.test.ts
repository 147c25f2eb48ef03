import { afterEach, describe, expect, it } from 'vitest';
import { teams } from '../../adapters/chat/teams/index.js';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { reconcileClaims, resentNoticeText } from '../../src/delivery/claims.js';
import { deliverOutbox } from '../../src/delivery/deliver.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import { silentLogger } from '../../src/log.js';
import { composition } from '../../src/main.js';
import type { ChatSurface, Egress } from '../../src/ports/index.js';
import { contentHash, openStore, type Store } from '../../src/store/index.js';
import { textView } from '../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { type EgressProxy, startEgressProxy } from '../support/egress-proxy.js';
import { FAKE_CAPABILITIES, fakeIncident } from '../support/fake-source.js';
import { type FakeConnector, startFakeConnector } from '../support/fake-teams/index.js';
import { fixedClock } from '../support/fixed-clock.js';

const CHANNEL = '19:alerts@thread.tacv2';
const CHAT = 'a:personal-chat';
/** Short, so a call Teams never answers fails quickly; tests assert the outcome, never the time taken. */
const TIMEOUT_SECONDS = 0.25;
let connector: FakeConnector;
let store: Store;

afterEach(async () => {
  store?.close();
  await connector?.close();
});

async function setUp(timeoutSeconds = 10, egress?: (connectorHost: string) => Egress): Promise<ChatSurface> {
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
    `sources: [{ id: pan-prod, vendor: paloalto, clientIdEnv: A, clientSecretEnv: B }]\nchat: { teams: { port: 0, auth: none, timeoutSeconds: ${timeoutSeconds} } }\n`,
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
    ...(egress ? { egress: egress(new URL(connector.serviceUrl).host) } : {}),
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
    // The connector client does not retry on its own: the send queue waits out Retry-After and decides.
    connector.failNext({ method: 'POST' }, { status: 429, headers: { 'retry-after': '1' } });
    const throttled = await surface.post(CHANNEL, textView('Breach', 'x'));
    expect(throttled).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 1_000 } });
    expect(connector.calls.map((c) => c.status)).toEqual([429]);
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

  it('should send a post once when Teams answers 5xx after creating it: the connector client retries nothing', async () => {
    // The deadline is far off, so the connector's own retries (a second or so apart) would show as more calls.
    const surface = await setUp(60);
    connector.failNext({ method: 'POST' }, { status: 500, afterWork: true });

    const posted = await surface.post(CHANNEL, textView('Breach', 'x'));

    expect(posted).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(connector.calls.map((c) => [c.method, c.status])).toEqual([['POST', 500]]);
    expect(connector.messages()).toHaveLength(1);
  });

  it('should give up on a call Teams never answers at the configured timeout', async () => {
    const surface = await setUp(TIMEOUT_SECONDS);
    connector.failNext({ method: 'POST' }, { status: 'hang', afterWork: true });
    connector.failNext({ method: 'PUT' }, { status: 'hang' });

    const posted = await surface.post(CHANNEL, textView('Breach', 'x'));
    const updated = await surface.update(
      { surface: 'teams', channel: CHANNEL, messageId: 'msg-1' },
      textView('B', 'y'),
    );

    const timedOut = { code: 'unavailable', message: expect.stringContaining('did not answer in time') };
    expect(posted).toMatchObject({ ok: false, error: timedOut });
    expect(updated).toMatchObject({ ok: false, error: timedOut });
    expect(connector.calls.map((c) => c.method)).toEqual(['POST', 'PUT']);
  });

  it('should post a card again after a lost answer, since Teams cannot be read back, and say so in its thread', async () => {
    const surface = await setUp();
    const clock = fixedClock(new Date('2026-11-01T12:00:00Z'));
    const incident = fakeIncident('pan-prod', 'A', { createdAt: new Date('2026-11-01T06:00:00Z') });
    store.incidents.upsert(incident, {
      contentHash: contentHash(incident),
      slaState: 'breached',
      slaDeadline: null,
      seenAt: clock.now(),
      scanId: 'scan-1',
    });
    store.outbox.enqueue({
      source: 'pan-prod',
      incidentId: 'A',
      kind: 'breached',
      dedupeKey: 'A#1',
      createdAt: clock.now(),
    });
    const deliver = () =>
      deliverOutbox({
        store,
        clock,
        logger: silentLogger,
        actions: DEFAULT_ACTIONS,
        policy: createSlaPolicy(SlaConfig.parse({}), []),
        sourceInfo: () => ({ displayName: 'Palo Alto', capabilities: FAKE_CAPABILITIES }),
        routes: () => [{ surface, channel: CHANNEL }],
      });
    connector.failNext({ method: 'POST' }, { status: 502, afterWork: true });
    expect(await deliver()).toMatchObject({ posted: 0, retrying: 1 });

    clock.advance(3_600_000);
    await reconcileClaims({ store, clock, logger: silentLogger }, [surface]);
    expect(await deliver()).toMatchObject({ delivered: 1, posted: 1 });

    const [first, again, notice] = connector.messages();
    expect(connector.messages()).toHaveLength(3);
    expect(store.postings.find('pan-prod', 'A', 'teams', CHANNEL)?.messageId).toBe(again?.id);
    expect(notice).toMatchObject({
      conversationId: `${CHANNEL};messageid=${again?.id}`,
      activity: { summary: resentNoticeText('pan-prod:A') },
    });
    expect(first?.conversationId).toBe(CHANNEL);
    expect(store.postClaims.count()).toBe(0);
  });
});

describe('Teams surface through a proxy', () => {
  let proxy: EgressProxy;
  afterEach(async () => {
    await proxy.close();
  });
  const through =
    (noProxy = '') =>
    (): Egress => ({ httpProxy: proxy.url, httpsProxy: '', noProxy });

  it('should send each call once through HTTP_PROXY and read 429, 5xx and no answer as without one', async () => {
    proxy = await startEgressProxy();
    const surface = await setUp(TIMEOUT_SECONDS, through());
    connector.failNext({ method: 'POST' }, { status: 429, headers: { 'retry-after': '1' } });
    connector.failNext({ method: 'POST' }, { status: 500, afterWork: true });
    connector.failNext({ method: 'PUT' }, { status: 'hang' });

    const throttled = await surface.post(CHANNEL, textView('Breach', 'x'));
    const failed = await surface.post(CHANNEL, textView('Breach', 'x'));
    const posted = await surface.post(CHANNEL, textView('Breach', 'x'));
    const updated = await surface.update(
      { surface: 'teams', channel: CHANNEL, messageId: 'msg-1' },
      textView('B', 'y'),
    );

    expect(throttled).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 1_000 } });
    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(posted.ok).toBe(true);
    expect(updated).toMatchObject({ ok: false, error: { message: expect.stringContaining('did not answer in time') } });
    expect(connector.calls.map((c) => [c.method, c.status])).toEqual([
      ['POST', 429],
      ['POST', 500],
      ['POST', expect.any(Number)],
      ['PUT', expect.any(Number)],
    ]);
    expect(proxy.count(new URL(connector.serviceUrl).host)).toBe(4);
  });

  it('should reach a connector named in NO_PROXY directly', async () => {
    proxy = await startEgressProxy();
    const surface = await setUp(10, (host) => through(`teams.invalid, ${host}`)());

    expect((await surface.post(CHANNEL, textView('Breach', 'x'))).ok).toBe(true);

    expect(connector.calls).toHaveLength(1);
    expect(proxy.requests()).toEqual([]);
  });
});
