import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EgressProxy, startEgressProxy } from '../support/egress-proxy.js';
import { installed, type TokenIssuer } from '../support/fake-teams/index.js';
import { ADMIN, channelCards, eventually, startTeamsDeployment, type TeamsDeployment } from '../support/teams-e2e.js';

/**
 * Teams behind a corporate proxy: `serve` started with HTTP_PROXY (in the environment it is given, not this
 * process's), authenticated as in production against the local token issuer, the fake connector and the Palo Alto
 * simulator, all on loopback (which undici does not exempt by itself).
 */

let proxy: EgressProxy;
let teams: TeamsDeployment;
let issuer: TokenIssuer;

const hostPort = (url: string) => new URL(url).host;

beforeAll(async () => {
  proxy = await startEgressProxy();
  teams = await startTeamsDeployment({ incidents: 12, env: { HTTP_PROXY: proxy.url } });
  if (!teams.issuer) throw new Error('expected an authenticated deployment');
  issuer = teams.issuer;
  await eventually(() => /Scan finished/.test(teams.stdout()), 'the first scan', 20_000);
  expect((await teams.post(installed(teams.general, ADMIN))).status).toBe(200);
  await eventually(
    () => channelCards(teams.connector).length > 0 && teams.pendingDeliveries() === 0,
    'the cards after the install',
    20_000,
  );
}, 60_000);
afterAll(async () => {
  expect(await teams.stop()).toBe(0);
  await proxy.close();
});

describe('Teams egress through a proxy', () => {
  it('should get its Bot Framework token and fetch the inbound signing keys through HTTP_PROXY', () => {
    const { tokens, tokensRefused, metadata, keys } = issuer.fetches;
    expect(tokens).toBeGreaterThan(0);
    expect(metadata).toBeGreaterThan(0);
    expect(keys).toBeGreaterThan(0);
    // Everything the issuer answered came through the proxy, forwarded as plain http.
    const issuerRequests = proxy.requests().filter((r) => r.target === hostPort(issuer.tokenUrl));
    expect(issuerRequests.length).toBe(tokens + tokensRefused + metadata + keys);
    expect(issuerRequests.every((r) => r.kind === 'forward')).toBe(true);
  });

  it('should post and look up through HTTP_PROXY: every connector call passed it', () => {
    const calls = teams.connector.calls.length;
    expect(channelCards(teams.connector).length).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(channelCards(teams.connector).length);
    expect(proxy.count(hostPort(teams.connector.serviceUrl))).toBe(calls);
  });
});
