import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_KEY } from '../../adapters/chat/teams/card/index.js';
import {
  cardAction,
  installed,
  message,
  type Place,
  postActivity,
  startTokenIssuer,
  TENANT,
  type TokenIssuer,
} from '../support/fake-teams/index.js';
import { ANALYST, eventually, startTeamsDeployment, type TeamsDeployment } from '../support/teams-e2e.js';

/**
 * Teams with an app id, as in production: every request to /api/messages must carry a Bot Framework token, checked
 * by botframework-connector against the keys of a local token issuer (chat.teams.openIdMetadataUrl), and only
 * activities from the app's own tenant are acted on. Nothing here makes the bot call out (no replies, no roster
 * lookups): its outbound token would come from login.microsoftonline.com, which MSAL cannot be pointed at loopback.
 */
const APP_ID = '00000000-0000-0000-0000-0000000000aa';
const FOREIGN = 'tenant-ffff-elsewhere';

let issuer: TokenIssuer;
let teams: TeamsDeployment;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  teams = await startTeamsDeployment({
    incidents: 5,
    env: {
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'e2e-client-secret',
      MICROSOFT_APP_TENANT_ID: TENANT,
      TEAMS_OPENID_METADATA_URL: issuer.metadataUrl,
      DLP_BOT_LOG_LEVEL: 'warn',
    },
  });
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
  await issuer.close();
});

const token = (place: Place, aud = APP_ID) => issuer.authorization({ aud, serviceurl: place.serviceUrl });
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
    const claims = { aud: APP_ID, serviceurl: chat.serviceUrl };
    const answers = await Promise.all([
      postActivity(teams.url, activity),
      postActivity(teams.url, activity, { authorization: issuer.forged(claims, 'unknown') }),
      postActivity(teams.url, activity, { authorization: issuer.forged(claims, 'published') }),
      postActivity(teams.url, activity, { authorization: token(chat, '00000000-0000-0000-0000-0000000000bb') }),
      postActivity(teams.url, activity, {
        authorization: issuer.authorization({ ...claims, serviceurl: 'http://127.0.0.1:9/elsewhere/' }),
      }),
      postActivity(teams.url, activity, { authorization: issuer.authorization({ ...claims, expiresIn: -3600 }) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
    // The bot did look the keys up at the local issuer, so the 401s are its verdict on the tokens.
    expect(issuer.fetches.keys).toBeGreaterThan(0);
    expect(teams.conversations()).toEqual([]);
    expect(teams.connector.calls).toEqual([]);
  });

  it('should act on a valid token from its own tenant: the chat is remembered for later posts', async () => {
    const chat = teams.personal(ANALYST);
    const answer = await postActivity(teams.url, installed(chat, ANALYST), { authorization: token(chat) });
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
    const click = fromTenant(cardAction(chat, ANALYST, 'msg-1', 'incident.take', data), FOREIGN);
    const answer = await postActivity(teams.url, click, { authorization: token(chat) });
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
    const answer = await postActivity(teams.url, fromTenant(message(chat, ANALYST, 'dlp aging high'), FOREIGN), {
      authorization: token(chat),
    });
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
