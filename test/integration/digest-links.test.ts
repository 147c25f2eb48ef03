import { WebClient } from '@slack/web-api';
import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../adapters/chat/slack/surface.js';
import { createConversationBook } from '../../adapters/chat/teams/conversations.js';
import { teams } from '../../adapters/chat/teams/index.js';
import { serviceUrlPolicy } from '../../adapters/chat/teams/service-url.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { secret } from '../../src/config/secret.js';
import { createRouter } from '../../src/delivery/routes.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import { postDigests } from '../../src/digest/post-digest.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { silentLogger } from '../../src/log.js';
import type { ChatSurface } from '../../src/ports/index.js';
import { contentHash } from '../../src/store/content-hash.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack/index.js';
import { fakeIncident } from '../support/fake-source.js';
import { type FakeConnector, message, type Place, startFakeConnector, TENANT } from '../support/fake-teams/index.js';
import { fixedClock } from '../support/fixed-clock.js';
import { createRecordingSurface } from '../support/recording-surface.js';

const NOW = new Date('2026-06-01T07:00:00Z');
const CHANNEL = 'C0DIGEST';
const TEAMS_CHANNEL = '19:dlp-digest@thread.tacv2';
const TEAM_GROUP = '3606f714-ec2e-41b3-9ad1-6afb331bd35d';
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Everything from `pan` goes to `channel` on the surface. */
const configFor = (surface: string, channel: string) =>
  createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'slack', fields: () => ({}) },
    { key: 'teams', fields: () => ({}) },
    { key: 'chat', fields: () => ({}) },
  ]).parse({ routes: [{ channels: { [surface]: [channel] } }], sources: [{ id: 'pan', vendor: 'fake' }] });

const memoryStore = (): Store => {
  const store = openStore(':memory:');
  cleanups.push(() => store.close());
  return store;
};

/** Two breached incidents, A (oldest) and B; A has a card in the digest's channel, B has none there. */
async function seed(surface: ChatSurface, channel = CHANNEL, store = memoryStore()): Promise<Store> {
  for (const incident of [
    fakeIncident('pan', 'A', { severity: 'high', createdAt: hoursAgo(9), link: 'https://console.example/a' }),
    fakeIncident('pan', 'B', { severity: 'high', createdAt: hoursAgo(6), link: 'https://console.example/b' }),
  ]) {
    store.incidents.upsert(incident, {
      contentHash: contentHash(incident),
      slaState: 'breached',
      slaDeadline: new Date(incident.createdAt.getTime() + 4 * 3_600_000),
      seenAt: NOW,
      scanId: 'scan-1',
    });
  }
  const card = await surface.post(channel, { title: 'pan:A breached', tone: 'danger', blocks: [] });
  if (!card.ok) throw new Error(card.error.message);
  store.postings.record({
    source: 'pan',
    incidentId: 'A',
    surface: surface.id,
    channel,
    messageId: card.value.messageId,
    threadId: null,
    postedAt: NOW,
  });
  return store;
}

/** The real Slack surface against the fake Slack Web API. */
async function slackOnFake(): Promise<{ fake: FakeSlack; surface: ChatSurface }> {
  const fake = await startFakeSlack({ channels: [{ id: CHANNEL, name: 'dlp-digest' }], rateLimit: false });
  cleanups.push(() => fake.close());
  const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  const surface = createSlackSurface(
    {
      enabled: true,
      mode: 'http',
      botTokenEnv: secret('SLACK_BOT_TOKEN', fake.token),
      appTokenEnv: undefined,
      signingSecretEnv: undefined,
      port: 0,
      apiUrl: undefined,
      defaultChannel: undefined,
      postsPerSecond: 50,
      timeoutSeconds: 10,
    },
    client,
  );
  return { fake, surface };
}

/**
 * The real Teams surface against the fake Bot Framework connector. The bot learns the channel the way it does
 * in Teams: from activities in it (each `channelData.team`, the first also carrying the team's AAD group id
 * when `withGroupId`), stored by the surface's own conversation book.
 */
async function teamsOnFake(
  withGroupId: boolean,
): Promise<{ connector: FakeConnector; surface: ChatSurface; store: Store }> {
  const connector = await startFakeConnector({ members: [] });
  cleanups.push(() => connector.close());
  const store = memoryStore();
  const clock = fixedClock(NOW);
  const book = createConversationBook({
    repo: () => store.conversationRefs,
    clock,
    logger: silentLogger,
    serviceUrls: serviceUrlPolicy({ authenticated: false }),
  });
  const team = { id: '19:team-general@thread.tacv2', name: 'Security' };
  const place = (aadGroupId?: string): Place => ({
    serviceUrl: connector.serviceUrl,
    conversationId: TEAMS_CHANNEL,
    conversationType: 'channel',
    team: { ...team, ...(aadGroupId ? { aadGroupId } : {}) },
    channel: { id: TEAMS_CHANNEL, name: 'DLP digest' },
  });
  const analyst = { id: '29:ana', name: 'Ana Lyst', aadObjectId: 'aad-ana', email: 'ana@corp.example' };
  // The activity as it comes off the wire (JSON: its timestamp still a string).
  const hear = (from: Place) =>
    book.remember(
      new TurnContext(new TestAdapter(), message(from, analyst, 'dlp help', { mention: true }) as unknown as Activity),
    );
  hear(place(withGroupId ? TEAM_GROUP : undefined));
  // A later activity without the group id (not every one has it) must not make the bot forget it.
  hear(place());
  const section = { enabled: true, auth: 'none', port: 0, analysts: [], postsPerSecond: 1.8, timeoutSeconds: 10 };
  const surface = await teams.create(section, { logger: silentLogger, clock, store: () => store });
  if (!surface) throw new Error('Teams was not enabled');
  return { connector, surface, store };
}

/** The digest card the connector received: every URL its fields open. */
const teamsDigestLinks = (connector: FakeConnector): string[] => {
  const digest = connector.messages().find((m) => JSON.stringify(m.activity).includes('DLP digest'));
  return [...JSON.stringify(digest?.activity).matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] ?? '');
};

async function digestOn(surface: ChatSurface, store: Store, channel = CHANNEL) {
  const config = configFor(surface.id, channel);
  const policy = createSlaPolicy(config.sla, config.sources);
  const outcome = await postDigests(
    {
      store,
      policy,
      surfaces: [surface],
      channels: { [surface.id]: [channel] },
      calendar: { timeZone: 'UTC', workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] },
      router: createRouter(config.routes, [surface]),
      queue: createSendQueue({ logger: silentLogger, rates: { [surface.id]: 'unlimited' } }),
      logger: silentLogger,
    },
    NOW,
  );
  expect(outcome).toMatchObject({ posted: 1 });
}

describe('the digest links to the oldest breaches', () => {
  it("should link a breach's card in the channel on Slack, and the console for a breach without a card there", async () => {
    const { fake, surface } = await slackOnFake();
    const store = await seed(surface);
    await digestOn(surface, store);
    const [card, digest] = fake.messages(CHANNEL);
    const blocks = JSON.stringify(digest?.blocks);
    const permalink = `https://fake-workspace.slack.com/archives/${CHANNEL}/p${card?.ts.replace('.', '')}`;
    expect(blocks).toContain(`<${permalink}|9h old, 5h past SLA>`);
    expect(blocks).toContain('<https://console.example/b|6h old, 2h past SLA>');
    expect(blocks).not.toContain('console.example/a');
    expect(fake.calls('chat.getPermalink').map((c) => c.args)).toEqual([
      expect.objectContaining({ channel: CHANNEL, message_ts: card?.ts }),
    ]);
  });

  it("should link a breach's card on Teams with a deep link built from the stored channel, without a call", async () => {
    const { connector, surface, store } = await teamsOnFake(true);
    await seed(surface, TEAMS_CHANNEL, store);
    const card = connector.messages()[0];
    if (!card) throw new Error('the card was not posted');
    const before = connector.calls.length;
    await digestOn(surface, store, TEAMS_CHANNEL);
    const deepLink =
      `https://teams.microsoft.com/l/message/${encodeURIComponent(TEAMS_CHANNEL)}/${card.id}` +
      `?tenantId=${TENANT}&groupId=${TEAM_GROUP}&parentMessageId=${card.id}`;
    expect(teamsDigestLinks(connector)).toEqual([deepLink, 'https://console.example/b']);
    // One call: the digest's own post (no lookup was needed for the link).
    expect(connector.calls.length - before).toBe(1);
  });

  it("should fall back to the console link on Teams when the team's group id was never seen", async () => {
    const { connector, surface, store } = await teamsOnFake(false);
    await seed(surface, TEAMS_CHANNEL, store);
    await digestOn(surface, store, TEAMS_CHANNEL);
    expect(teamsDigestLinks(connector)).toEqual(['https://console.example/a', 'https://console.example/b']);
  });

  it('should fall back to the console link on a surface that cannot link its messages', async () => {
    const surface = createRecordingSurface('chat');
    const store = await seed(surface);
    await digestOn(surface, store);
    const digest = surface.succeeded('post').find((c) => c.view.title.startsWith('DLP digest'));
    const links = digest?.view.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => f.url) : []));
    expect(links?.filter(Boolean)).toEqual(['https://console.example/a', 'https://console.example/b']);
  });

  it('should fall back to the console link when Slack refuses the link', async () => {
    const { fake, surface } = await slackOnFake();
    const store = await seed(surface);
    fake.failNext('chat.getPermalink', 'internal_error');
    await digestOn(surface, store);
    const digest = fake.messages(CHANNEL)[1];
    expect(JSON.stringify(digest?.blocks)).toContain('<https://console.example/a|9h old, 5h past SLA>');
  });
});
