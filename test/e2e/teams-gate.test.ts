import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACK_VERB, DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import { teamsHandlers, type WireDeps } from '../../adapters/chat/teams/wire.js';
import type { TeamsHandler } from '../../adapters/chat/teams/wire-context.js';
import { ANY_VERB } from '../../adapters/chat/teams/wire-invoke.js';
import { REDRAW_ACTION } from '../../src/ports/inbound.js';
import { encodeButtonValue } from '../../src/views/button-value.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import {
  type BotAnswer,
  cardAction,
  type FakeMember,
  installed,
  message,
  type Place,
} from '../support/fake-teams/index.js';
import type { AuditRow } from '../support/serve-e2e.js';
import {
  ADMIN,
  channelCards,
  eventually,
  incidentKeyOf,
  startTeamsDeployment,
  type TeamsDeployment,
} from '../support/teams-e2e.js';

/**
 * Teams' handler table, walked entry by entry: every verb, the way back from the evidence view, any other verb,
 * messages and installs. Each entry is driven by someone the config gives no role, and, where it reads a payload,
 * with one it cannot read; every gated entry must leave exactly one audit row, so an entry that skips the gate
 * fails here. The table is the one the bot registers, built from the same action registry.
 */
const NOBODY: FakeMember = { id: '29:nob', name: 'No Body', aadObjectId: 'aad-nobody', email: 'nobody@corp.example' };
const TABLE = teamsHandlers({ handlers: { actions: () => DEFAULT_ACTIONS } } as unknown as WireDeps);

let teams: TeamsDeployment;
let key: { source: string; id: string };

beforeAll(async () => {
  teams = await startTeamsDeployment({ incidents: 20, defaultRole: 'none' });
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  expect((await teams.post(installed(teams.general, ADMIN))).status).toBe(200);
  const card = await eventually(() => channelCards(teams.connector)[0], 'a posted card', 20_000);
  const { s, i } = incidentKeyOf(card);
  key = { source: s, id: i };
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
});

const nameOf = (entry: TeamsHandler) => (entry.on === 'card_action' ? `card action ${entry.verb}` : entry.on);
const chat = (): Place => teams.personal(NOBODY);
const newRows = async (send: () => Promise<BotAnswer>): Promise<{ answer: BotAnswer; rows: AuditRow[] }> => {
  const before = teams.auditRows().length;
  const answer = await send();
  return { answer, rows: teams.auditRows().slice(before) };
};
const verbOf = (entry: TeamsHandler) => (entry.on === 'card_action' && entry.verb !== ANY_VERB ? entry.verb : 'x.y');
/** What a gated entry's row must name: the action (its id for a legacy verb), the redraw, or an unknown request. */
const auditedAs = (entry: TeamsHandler) => {
  if (entry.on !== 'card_action') return expect.stringMatching(/^command\./);
  if (entry.verb === ANY_VERB) return 'inbound.unknown';
  return DEFAULT_ACTIONS.find(entry.verb)?.id ?? REDRAW_ACTION;
};
const click = (entry: TeamsHandler, data: Record<string, unknown>) =>
  teams.post(cardAction(chat(), NOBODY, 'msg-gate', verbOf(entry), data));

describe("Teams' handler table", () => {
  it('should name every action verb, old ones included, the way back, any other verb, messages and installs', () => {
    const verbs = TABLE.flatMap((e) => (e.on === 'card_action' ? [e.verb] : []));
    for (const action of DEFAULT_ACTIONS.all) expect(verbs).toEqual(expect.arrayContaining([action.id]));
    expect(verbs).toEqual(expect.arrayContaining(['dlp.take', BACK_VERB, ANY_VERB]));
    expect(TABLE.filter((e) => e.on !== 'card_action').map(nameOf)).toEqual([
      'message',
      'conversationUpdate',
      'installationUpdate',
    ]);
  });

  const gated = TABLE.filter((e) => e.gated.length > 0);
  it.each(gated.map((entry) => ({ name: nameOf(entry), entry })))(
    'should refuse $name to someone with no role, with one audit row',
    async ({ entry }) => {
      const send =
        entry.on === 'message'
          ? () => teams.post(message(chat(), NOBODY, 'dlp aging high'))
          : () => click(entry, { [DATA_KEY]: encodeButtonValue(key) });
      const { answer, rows } = await newRows(send);
      expect(answer.status).toBe(200);
      const incident = entry.on === 'card_action' && entry.verb !== ANY_VERB ? key : { source: null, id: null };
      expect(rows).toEqual([
        expect.objectContaining({
          action: auditedAs(entry),
          outcome: 'denied',
          actor: `teams:${NOBODY.aadObjectId}`,
          source: incident.source,
          incident_id: incident.id,
        }),
      ]);
      // Nothing about the incident reached them: no card in the answer, no message naming it.
      expect(JSON.stringify(answer.body)).not.toContain('AdaptiveCard');
    },
  );

  it.each(gated.filter((e) => e.gated.includes('refuse')).map((entry) => ({ name: nameOf(entry), entry })))(
    'should refuse $name with a payload it cannot read, with one audit row under no incident',
    async ({ entry }) => {
      const { answer, rows } = await newRows(() => click(entry, { [DATA_KEY]: '{"v":1,"s":"pan-prod"' }));
      expect(JSON.stringify(answer.body)).toMatch(/could not be read/);
      expect(rows).toEqual([
        expect.objectContaining({
          action: auditedAs(entry),
          outcome: 'denied',
          source: null,
          incident_id: null,
          detail: '{"error":"unreadable"}',
        }),
      ]);
    },
  );

  it.each(TABLE.filter((e) => e.gated.length === 0).map((entry) => ({ name: nameOf(entry), entry })))(
    'should let $name through ungated only because it reads no incident and answers nothing',
    async ({ entry }) => {
      const place: Place = { ...chat(), conversationId: `a:gate-${entry.on}`, conversationType: 'groupChat' };
      const activity =
        entry.on === 'installationUpdate'
          ? { ...installed(place, NOBODY), type: 'installationUpdate', action: 'add' }
          : installed(place, NOBODY);
      const sent = teams.connector.calls.length;
      const { answer, rows } = await newRows(() => teams.post(activity));
      expect(answer.status).toBe(200);
      expect(rows).toEqual([]);
      // The turn is over when Teams gets its answer: nothing was said in that chat, to anyone.
      const said = teams.connector.calls.slice(sent).filter((c) => c.conversationId === place.conversationId);
      expect(said.filter((c) => c.method !== 'GET')).toEqual([]);
    },
  );
});

describe('the way back from the evidence view (issue 13, finding 4)', () => {
  it('should not draw the card of any incident for someone with no role, and audit the refusal', async () => {
    const back = cardAction(chat(), NOBODY, 'msg-evidence', BACK_VERB, { [DATA_KEY]: encodeButtonValue(key) });
    const { answer, rows } = await newRows(() => teams.post(back));
    const body = answer.body as { type?: string; value?: unknown };
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(body.value)).toMatch(/needs the viewer role; you have no role/);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'card.redraw', outcome: 'denied', source: key.source, incident_id: key.id }),
    ]);
  });
});
