import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModalContext } from '../../adapters/chat/slack/modal-context.js';
import type { SlackHandler, WireDeps } from '../../adapters/chat/slack/wire-context.js';
import { slackHandlers } from '../../adapters/chat/slack/wire-table.js';
import { encodeButtonValue } from '../../src/views/button-value.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import {
  blockActionPayload,
  nowSeconds,
  type SlackReply,
  sendBlockAction,
  sendSlashCommand,
  sendViewSubmission,
  slashCommandFields,
  viewSubmissionPayload,
} from '../support/fake-slack/requests.js';
import type { FakeMessage } from '../support/fake-slack/types.js';
import type { AuditRow } from '../support/serve-e2e.js';
import {
  ADMIN,
  CHANNEL,
  eventually,
  firstPostsSettled,
  SIGNING_SECRET,
  type SlackDeployment,
  startSlackDeployment,
} from '../support/slack-e2e.js';
import { incidentOf } from '../support/slack-e2e-cards.js';

/**
 * Slack's handler table, walked entry by entry: every button (each action under its id and its old ids, and the
 * console link), every form's submission and `/dlp`. Each entry is driven by someone the config gives no role, and,
 * where it reads a payload, with one it cannot read; every gated entry must leave exactly one audit row, so an entry
 * that skips the gate fails here. Then the replays and clocks of issue 13's finding 8.
 */
const NOBODY = { id: 'U0NOBODY', name: 'nob', real_name: 'No Body', profile: { email: 'nobody@corp.example' } };
/** The table as the bot builds it, over dependencies that record every call made on them. */
const touched: string[] = [];
function recorder(name: string, own: Record<string, unknown> = {}): never {
  const target = Object.assign(() => {}, own);
  return new Proxy(target, {
    get: (t, key) =>
      typeof key === 'string' && key in own ? t[key as keyof typeof t] : recorder(`${name}.${String(key)}`),
    apply: () => {
      touched.push(name);
      return Promise.resolve({});
    },
  }) as never;
}
const TABLE = slackHandlers({
  handlers: recorder('handlers', { actions: () => DEFAULT_ACTIONS }),
  directory: recorder('directory'),
  client: recorder('client'),
  logger: recorder('logger'),
  workspaceRefusal: () => undefined,
} satisfies WireDeps);

let slack: SlackDeployment;
let card: FakeMessage;

beforeAll(async () => {
  slack = await startSlackDeployment({ incidents: 20, defaultRole: 'none' });
  slack.fake.addUser(NOBODY);
  await firstPostsSettled(slack);
  card = slack.fake.messages(CHANNEL, { topLevelOnly: true })[0] as FakeMessage;
}, 30_000);
afterAll(async () => {
  expect(await slack.stop()).toBe(0);
});

const nameOf = (entry: SlackHandler) => `${entry.on} ${entry.id}`;
/** What its row must name: the action (by its id for an old one) or the command. */
const auditedAs = (entry: SlackHandler) =>
  entry.on === 'command' ? 'command.aging' : (DEFAULT_ACTIONS.find(entry.id)?.id ?? entry.id);

/** Sends a request and waits for the one audit row the gate writes for it (the work runs after the ack). */
async function rowFor(send: () => Promise<SlackReply>): Promise<{ reply: SlackReply; rows: AuditRow[] }> {
  const before = slack.auditRows().length;
  const reply = await send();
  await eventually(() => slack.auditRows().length > before, 'the audit row');
  return { reply, rows: slack.auditRows().slice(before) };
}

function drive(entry: SlackHandler, value: string): Promise<SlackReply> {
  if (entry.on === 'command') {
    const responseUrl = slack.fake.responseUrl({ channel: CHANNEL, user: NOBODY.id });
    const fields = slashCommandFields({ user: NOBODY, channel: CHANNEL, text: 'aging high', responseUrl });
    return sendSlashCommand(slack.eventsUrl, SIGNING_SECRET, fields);
  }
  if (entry.on === 'view') {
    const payload = viewSubmissionPayload({
      user: NOBODY,
      viewId: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      callbackId: entry.id,
      privateMetadata: value,
    });
    return sendViewSubmission(slack.eventsUrl, SIGNING_SECRET, payload);
  }
  const payload = blockActionPayload({ user: NOBODY, channel: CHANNEL, messageTs: card.ts, actionId: entry.id, value });
  return sendBlockAction(slack.eventsUrl, SIGNING_SECRET, payload);
}

describe("Slack's handler table", () => {
  it('should name every action, old ids included, every form, the console link and /dlp', () => {
    const ids = TABLE.map(nameOf);
    for (const action of DEFAULT_ACTIONS.all) expect(ids).toContain(`action ${action.id}`);
    expect(ids).toEqual(
      expect.arrayContaining(['action dlp.take', 'view dlp.modal.note', 'action dlp.open', 'command /dlp']),
    );
  });

  const gated = TABLE.filter((e) => e.gated.length > 0);
  it.each(gated.map((entry) => ({ name: nameOf(entry), entry })))(
    'should refuse $name to someone with no role, with one audit row and a private answer',
    async ({ entry }) => {
      const key = incidentOf(card);
      const value =
        entry.on === 'view'
          ? encodeModalContext({ key, channel: CHANNEL, messageTs: card.ts })
          : encodeButtonValue(key);
      const told = slack.fake.ephemerals(NOBODY.id).length;
      const { reply, rows } = await rowFor(() => drive(entry, value));
      expect(reply.status).toBe(200);
      const incident = entry.on === 'command' ? { source: null, id: null } : key;
      expect(rows).toEqual([
        expect.objectContaining({
          action: auditedAs(entry),
          outcome: 'denied',
          actor: `slack:${NOBODY.id} ${NOBODY.profile.email}`,
          source: incident.source,
          incident_id: incident.id,
        }),
      ]);
      const answer = await eventually(() => slack.fake.ephemerals(NOBODY.id)[told], 'the private answer');
      expect(answer.text).toMatch(/needs the (analyst|viewer) role; you have no role/);
      expect(slack.fake.openedViews().filter((v) => v.view.private_metadata?.toString().includes(key.id))).toEqual([]);
    },
  );

  it.each(gated.filter((e) => e.gated.includes('refuse')).map((entry) => ({ name: nameOf(entry), entry })))(
    'should refuse $name with a payload it cannot read, with one audit row under no incident',
    async ({ entry }) => {
      const told = slack.fake.ephemerals(NOBODY.id).length;
      const { rows } = await rowFor(() => drive(entry, '{"v":1,"s":"pan-prod"'));
      expect(rows).toEqual([
        expect.objectContaining({
          action: auditedAs(entry),
          outcome: 'denied',
          source: null,
          incident_id: null,
          detail: '{"error":"unreadable"}',
        }),
      ]);
      const answer = await eventually(() => slack.fake.ephemerals(NOBODY.id)[told], 'the private answer');
      expect(answer.text).toMatch(/could not be read/);
    },
  );

  it.each(TABLE.filter((e) => e.gated.length === 0).map((entry) => ({ name: nameOf(entry), entry })))(
    'should let $name through ungated only because it acks and touches nothing else',
    async ({ entry }) => {
      let acked = false;
      const payload = blockActionPayload({ user: NOBODY, channel: CHANNEL, messageTs: '1.0', actionId: entry.id });
      touched.length = 0;
      await entry.handle({
        ack: async () => {
          acked = true;
        },
        body: payload,
        action: (payload.actions as unknown[])[0],
      } as never);
      expect(acked).toBe(true);
      // Not the core, not Slack's API, not the directory: nothing it could reveal or change.
      expect(touched).toEqual([]);
    },
  );
});

describe('replays and clocks (issue 13, finding 8)', () => {
  const scanRows = () => slack.auditRows().filter((r) => r.action === 'command.scan');

  it('should run a replayed signed /dlp scan once, and answer the replay "already received"', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'replayed-scan' });
    const fields = slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'scan', responseUrl });
    const signedAt = nowSeconds();
    const send = () => sendSlashCommand(slack.eventsUrl, SIGNING_SECRET, fields, { timestamp: signedAt });
    const rows = scanRows().length;
    expect((await send()).status).toBe(200);
    const first = await eventually(() => slack.fake.responses('replayed-scan')[0], 'the scan answer', 20_000);
    expect(JSON.stringify(first.body)).toContain('Scan finished');
    const vendorCalls = slack.simulator.requests().total;
    expect((await send()).status).toBe(200);
    const replay = await eventually(() => slack.fake.responses('replayed-scan')[1], 'the answer to the replay');
    expect(JSON.stringify(replay.body)).toContain('Already received');
    expect(slack.simulator.requests().total).toBe(vendorCalls);
    expect(scanRows().slice(rows)).toEqual([expect.objectContaining({ outcome: 'ok' })]);
  });

  it('should answer 401 to a signed request dated six minutes ahead, and run nothing', async () => {
    const responseUrl = slack.fake.responseUrl({ id: 'future-scan' });
    const fields = slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'scan', responseUrl });
    const rows = slack.auditRows().length;
    const vendorCalls = slack.simulator.requests().total;
    const ahead = await sendSlashCommand(slack.eventsUrl, SIGNING_SECRET, fields, { timestamp: nowSeconds() + 6 * 60 });
    expect(ahead.status).toBe(401);
    // A clock a little ahead of ours is still Slack's: four minutes is within the five either way.
    const near = slack.fake.responseUrl({ id: 'near-future' });
    const nearFields = slashCommandFields({ user: ADMIN, channel: CHANNEL, text: 'sla', responseUrl: near });
    const skewed = await sendSlashCommand(slack.eventsUrl, SIGNING_SECRET, nearFields, {
      timestamp: nowSeconds() + 4 * 60,
    });
    expect(skewed.status).toBe(200);
    await eventually(() => slack.fake.responses('near-future')[0], 'the answer to the skewed request');
    expect(slack.fake.responses('future-scan')).toEqual([]);
    expect(
      slack
        .auditRows()
        .slice(rows)
        .map((r) => r.action),
    ).toEqual(['command.sla']);
    expect(slack.simulator.requests().total).toBe(vendorCalls);
  });
});
