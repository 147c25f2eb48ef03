import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackSurface } from '../../adapters/chat/slack/surface.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { secret } from '../../src/config/secret.js';
import { postDigests } from '../../src/digest/post-digest.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { silentLogger } from '../../src/log.js';
import { createRouter } from '../../src/notify/routes.js';
import { createSendQueue } from '../../src/notify/send-queue.js';
import type { ChatSurface } from '../../src/ports.js';
import { contentHash } from '../../src/store/content-hash.js';
import { openStore, type Store } from '../../src/store/index.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack/index.js';
import { fakeIncident } from '../support/fake-source.js';
import { createRecordingSurface } from '../support/recording-surface.js';

const NOW = new Date('2026-06-01T07:00:00Z');
const CHANNEL = 'C0DIGEST';
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Everything from `pan` goes to CHANNEL on the surface. */
const configFor = (surface: string) =>
  createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'slack', fields: () => ({}) },
    { key: 'chat', fields: () => ({}) },
  ]).parse({ routes: [{ channels: { [surface]: [CHANNEL] } }], sources: [{ id: 'pan', vendor: 'fake' }] });

/** Two breached incidents, A (oldest) and B; A has a card in the digest's channel, B has none there. */
async function seed(surface: ChatSurface): Promise<Store> {
  const store = openStore(':memory:');
  cleanups.push(() => store.close());
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
  const card = await surface.post(CHANNEL, { title: 'pan:A breached', tone: 'danger', blocks: [] });
  if (!card.ok) throw new Error(card.error.message);
  store.postings.record({
    source: 'pan',
    incidentId: 'A',
    surface: surface.id,
    channel: CHANNEL,
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
    { enabled: true, mode: 'http', botTokenEnv: secret('SLACK_BOT_TOKEN', fake.token), port: 0, postsPerSecond: 50 },
    client,
  );
  return { fake, surface };
}

async function digestOn(surface: ChatSurface, store: Store) {
  const config = configFor(surface.id);
  const policy = createSlaPolicy(config.sla, config.sources);
  const outcome = await postDigests(
    {
      store,
      policy,
      surfaces: [surface],
      channels: { [surface.id]: [CHANNEL] },
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
