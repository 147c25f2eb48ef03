import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDlpBot } from '../support/cli.js';
import {
  cardAction,
  type FakeConnector,
  installed,
  message,
  type Place,
  postActivity,
  startFakeConnector,
} from '../support/fake-teams/index.js';
import {
  ADMIN,
  ANALYST,
  CHANNEL,
  cardOf,
  channelCards,
  eventually,
  executeActions,
  startTeamsDeployment,
  type TeamsDeployment,
} from '../support/teams-e2e.js';

/**
 * Teams under `auth: none` (the Agents Playground, tests): no token vouches for an activity's service URL, so the bot
 * takes loopback ones only, and a conversation it knows keeps the service URL it was first stored with, whatever a
 * later activity names: cards and their updates never follow an activity elsewhere.
 */
let teams: TeamsDeployment;
/** Another connector on loopback, named by an activity for a conversation the bot already knows. */
let rogue: FakeConnector;

beforeAll(async () => {
  rogue = await startFakeConnector({ members: [ANALYST, ADMIN] });
  teams = await startTeamsDeployment({ incidents: 20, auth: 'none', env: { DLP_BOT_LOG_LEVEL: 'warn' } });
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  expect((await teams.post(installed(teams.general, ADMIN))).status).toBe(200);
  await eventually(() => channelCards(teams.connector).length > 0 && teams.pendingDeliveries() === 0, 'the cards');
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
  await rogue.close();
});

const storedServiceUrl = (conversationId: string) => {
  const [row] = teams.select<{ reference: string }>(
    'SELECT reference FROM conversation_refs WHERE conversation_id = ?',
    conversationId,
  );
  return row ? (JSON.parse(row.reference) as { serviceUrl: string }).serviceUrl : null;
};

describe('service URL without authentication', () => {
  it('should keep a stored conversation on its service URL when an activity names another, and update cards there', async () => {
    const moved: Place = { ...teams.channel, serviceUrl: rogue.serviceUrl };
    const heard = await teams.post(message(moved, ANALYST, 'dlp help', { mention: true }));
    expect(heard.status).toBe(200);
    expect(storedServiceUrl(CHANNEL.id)).toBe(teams.connector.serviceUrl);
    const [card] = channelCards(teams.connector);
    if (!card) throw new Error('no card');
    const take = executeActions(cardOf(card.activity)).get('incident.take') ?? {};
    await teams.post(cardAction(moved, ANALYST, card.id, 'incident.take', take));
    await eventually(() => (teams.connector.message(card.id)?.updates ?? 0) > 0, 'the card update');
    // Only the in-turn answers to the activity itself went to the service URL it named: no card, no update there.
    const channelCardCalls = rogue.calls.filter(
      (c) => c.conversationId?.startsWith(CHANNEL.id) && (c.method === 'PUT' || cardOf(c.body ?? undefined)),
    );
    expect(channelCardCalls).toEqual([]);
  });

  it('should refuse an activity naming a service URL off loopback, store nothing and audit nothing', async () => {
    const remote: Place = {
      ...teams.personal(ANALYST),
      conversationId: 'a:personal-remote',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
    };
    const rows = teams.auditRows().length;
    const [card] = channelCards(teams.connector);
    const take = executeActions(cardOf(card?.activity)).get('incident.take') ?? {};
    const clicked = await teams.post(cardAction(remote, ANALYST, card?.id ?? 'msg-0', 'incident.take', take));
    const said = await teams.post(message(remote, ANALYST, 'dlp aging high'));
    expect([clicked.status, said.status]).toEqual([403, 200]);
    expect(teams.conversations()).not.toContain(remote.conversationId);
    expect(teams.auditRows().length).toBe(rows);
  });
});

describe('the sandbox with TEAMS_PORT (README: try it with the Agents Playground)', () => {
  it('should run Teams with auth: none on loopback, answering an activity that carries no token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-sandbox-teams-'));
    const playground = await startFakeConnector({ members: [ANALYST] });
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let url = '';
    try {
      const running = runDlpBot(['serve'], {
        cwd: dir,
        env: { TEAMS_PORT: '0' },
        stop: stopped,
        onStdout: (all) => {
          url ||= /Receiving chat requests at (\S+)/.exec(all)?.[1] ?? '';
        },
      });
      await eventually(() => url || undefined, 'the sandbox listening for Teams', 30_000);
      expect(new URL(url).hostname).toBe('127.0.0.1');
      const chat: Place = { ...teams.personal(ANALYST), serviceUrl: playground.serviceUrl };
      expect((await postActivity(url, message(chat, ANALYST, 'dlp help'))).status).toBe(200);
      await eventually(() => playground.messages().length > 0, 'the answer');
      stop();
      expect((await running).code).toBe(0);
    } finally {
      stop();
      await playground.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
