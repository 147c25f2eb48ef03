import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import {
  cardAction,
  type FakeConnector,
  installed,
  message,
  type Place,
  postActivity,
  startFakeConnector,
  type TokenIssuer,
} from '../support/fake-teams/index.js';
import { ANALYST, eventually, startTeamsDeployment, type TeamsDeployment } from '../support/teams-e2e.js';

/**
 * Teams with an app id, as in production: every request to /api/messages must carry a Bot Framework token, checked
 * by botframework-connector against the keys of a local token issuer (chat.teams.openIdMetadataUrl), only activities
 * from the app's own tenant and from an allowed service URL are acted on, and the bot's own calls carry tokens it
 * got from the issuer's token endpoint (chat.teams.tokenUrl), which the fake connector checks.
 */
const FOREIGN = 'tenant-ffff-elsewhere';

let teams: TeamsDeployment;
let issuer: TokenIssuer;
/** A connector the bot was never told about: a service URL off the allowlist. */
let rogue: FakeConnector;

beforeAll(async () => {
  rogue = await startFakeConnector({ members: [ANALYST] });
  teams = await startTeamsDeployment({ incidents: 5, env: { DLP_BOT_LOG_LEVEL: 'warn' } });
  if (!teams.issuer) throw new Error('expected an authenticated deployment');
  issuer = teams.issuer;
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
  await rogue.close();
});

/** The same activity as Teams would send it from a chat of another organisation's tenant. */
function fromTenant<T extends { conversation: object; channelData: object }>(activity: T, tenant: string): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId: tenant },
    channelData: { ...activity.channelData, tenant: { id: tenant } },
  };
}
const logLines = () =>
  teams
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('inbound tokens', () => {
  it('should refuse a request without a token, with a forged one and with one for another bot, with 401', async () => {
    const chat = teams.personal(ANALYST);
    const activity = message(chat, ANALYST, 'dlp aging high');
    const claims = { aud: teams.appId, serviceurl: chat.serviceUrl };
    const answers = await Promise.all([
      postActivity(teams.url, activity),
      teams.post(activity, { authorization: issuer.forged(claims, 'unknown') }),
      teams.post(activity, { authorization: issuer.forged(claims, 'published') }),
      teams.post(activity, {
        authorization: issuer.authorization({ ...claims, aud: '00000000-0000-0000-0000-0000000000bb' }),
      }),
      teams.post(activity, {
        authorization: issuer.authorization({ ...claims, serviceurl: 'http://127.0.0.1:9/elsewhere/' }),
      }),
      teams.post(activity, { authorization: issuer.authorization({ ...claims, expiresIn: -3600 }) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
    // The bot did look the keys up at the local issuer, so the 401s are its verdict on the tokens.
    expect(issuer.fetches.keys).toBeGreaterThan(0);
    expect(teams.conversations()).toEqual([]);
    expect(teams.connector.calls).toEqual([]);
  });

  it('should act on a valid token from its own tenant: the chat is remembered for later posts', async () => {
    const chat = teams.personal(ANALYST);
    const answer = await teams.post(installed(chat, ANALYST));
    expect(answer.status).toBe(200);
    expect(teams.conversations()).toEqual([chat.conversationId]);
  });
});

describe('tenant', () => {
  it('should refuse a validly signed card click from another tenant with 403, log it and change nothing', async () => {
    const chat = { ...teams.personal(ANALYST), conversationId: 'a:personal-foreign-click' };
    const [incident] = teams.select<{ source: string; id: string }>('SELECT source, id FROM incidents LIMIT 1');
    expect(incident).toBeDefined();
    const data = { [DATA_KEY]: JSON.stringify({ s: incident?.source, i: incident?.id }) };
    const answer = await teams.post(fromTenant(cardAction(chat, ANALYST, 'msg-1', 'incident.take', data), FOREIGN));
    expect(answer.status).toBe(403);
    expect(teams.auditRows().filter((r) => r.incident_id !== null)).toEqual([]);
    // Refused before anything in it was used, and still on the record, under no incident.
    expect(teams.auditRows()).toContainEqual(
      expect.objectContaining({
        action: 'incident.take',
        outcome: 'denied',
        actor: `teams:${ANALYST.aadObjectId}`,
        source: null,
        incident_id: null,
        detail: '{"error":"wrong_tenant"}',
      }),
    );
    expect(teams.conversations()).not.toContain(chat.conversationId);
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        msg: 'Teams activity from another tenant refused',
        tenant: FOREIGN,
        type: 'invoke',
        name: 'adaptiveCard/action',
      }),
    );
  });

  it('should not answer or remember a validly signed message from another tenant, and audit the refused command', async () => {
    const chat = { ...teams.personal(ANALYST), conversationId: 'a:personal-foreign-message' };
    const answer = await teams.post(fromTenant(message(chat, ANALYST, 'dlp aging high'), FOREIGN));
    expect(answer.status).toBe(200);
    expect(teams.conversations()).not.toContain(chat.conversationId);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ msg: 'Teams activity from another tenant refused', tenant: FOREIGN, type: 'message' }),
    );
    expect(teams.connector.calls).toEqual([]);
    expect(teams.auditRows()).toContainEqual(
      expect.objectContaining({ action: 'command.aging', outcome: 'denied', actor: `teams:${ANALYST.aadObjectId}` }),
    );
    const row = teams.auditRows().find((r) => r.action === 'command.aging');
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({ error: 'wrong_tenant', args: 'high' });
  });
});

describe('service URL', () => {
  it('should neither answer, remember nor send to a validly signed activity from a service URL off the allowlist', async () => {
    // The token vouches for the service URL; the allowlist (chat.teams.serviceUrls) still says no.
    const elsewhere: Place = { ...teams.personal(ANALYST), serviceUrl: rogue.serviceUrl };
    const asked = await teams.post(message(elsewhere, ANALYST, 'dlp aging high'));
    const [incident] = teams.select<{ source: string; id: string }>('SELECT source, id FROM incidents LIMIT 1');
    const data = { [DATA_KEY]: JSON.stringify({ s: incident?.source, i: incident?.id }) };
    const clicked = await teams.post(cardAction(elsewhere, ANALYST, 'msg-1', 'incident.take', data));
    expect([asked.status, clicked.status]).toEqual([200, 403]);
    expect(rogue.calls).toEqual([]);
    expect(teams.connector.calls).toEqual([]);
    expect(teams.auditRows().filter((r) => r.incident_id !== null)).toEqual([]);
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        msg: 'Teams activity refused: its service URL is off the allowlist (chat.teams.serviceUrls)',
        serviceUrl: rogue.serviceUrl,
        type: 'invoke',
      }),
    );
  });
});

describe('outbound tokens', () => {
  it('should be refused by the connector without a token from the issuer, as Teams refuses it', async () => {
    const path = `${teams.connector.serviceUrl}v3/conversations/a%3Achat/activities`;
    const bare = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const forged = await fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: issuer.authorization({ aud: teams.appId, serviceurl: '' }),
      },
      body: '{}',
    });
    expect([bare.status, forged.status]).toEqual([401, 401]);
    teams.connector.calls.length = 0;
  });

  // Last: one MSAL client refuses token requests for 60 s after a 5xx, and this deployment's is that client.
  it('should send Teams nothing, with no token or any other, when the token service fails', async () => {
    issuer.failTokens(503, 10);
    const chat = teams.personal(ANALYST);
    const answer = await teams.post(message(chat, ANALYST, 'dlp aging high'));
    expect(answer.status).toBe(200);
    await eventually(() => issuer.fetches.tokensRefused > 0, 'the token request');
    // The asker's directory entry and the answer both need a token: each fails, and says so in the log.
    await eventually(() => logLines().some((line) => line.msg === 'Teams command failed'), 'the failed answer');
    expect(teams.connector.calls).toEqual([]);
    expect(issuer.fetches.tokens).toBe(0);
  });
});
