import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TeamsConfig } from '../../adapters/chat/teams/config.js';
import { createGraphGroups } from '../../adapters/chat/teams/groups.js';
import { secret } from '../../src/config/secret.js';
import { silentLogger } from '../../src/log.js';
import { fixedClock } from '../support/fixed-clock.js';

const USER = '11111111-1111-4111-8111-111111111111';
const SOC = '22222222-2222-4222-8222-222222222222';
const groupId = (n: number) => `33333333-3333-4333-8333-${String(n).padStart(12, '0')}`;

interface FakeGraph {
  url: string;
  calls: { path: string; auth: string | undefined; body: string }[];
  failNext: number;
  close(): Promise<void>;
}

/** Microsoft identity platform token endpoint and Graph's checkMemberGroups, on loopback. */
async function startFakeGraph(memberOf: readonly string[]): Promise<FakeGraph> {
  const fake: FakeGraph = { url: '', calls: [], failNext: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      fake.calls.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.url === '/login/tenant-1/oauth2/v2.0/token') {
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== 'app-1' || form.get('client_secret') !== 'pw') return send(401, {});
        return send(200, { access_token: 'graph-token', expires_in: 3600, token_type: 'Bearer' });
      }
      if (fake.failNext > 0) {
        fake.failNext -= 1;
        return send(403, { error: { code: 'Authorization_RequestDenied' } });
      }
      if (
        req.url === `/graph/v1.0/users/${USER}/checkMemberGroups` &&
        req.headers.authorization === 'Bearer graph-token'
      ) {
        const asked = (JSON.parse(body) as { groupIds: string[] }).groupIds;
        return send(200, { value: asked.filter((id) => memberOf.includes(id)) });
      }
      return send(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

let graph: FakeGraph;
afterEach(async () => graph?.close());

const config = (url: string, withAppId = true): TeamsConfig => ({
  enabled: true,
  auth: withAppId ? 'required' : 'none',
  port: 0,
  defaultChannel: undefined,
  openIdMetadataUrl: undefined,
  tokenUrl: undefined,
  analysts: [],
  postsPerSecond: 1.8,
  timeoutSeconds: 10,
  graphUrl: `${url}/graph/v1.0`,
  loginUrl: `${url}/login`,
  appIdEnv: { envName: 'MICROSOFT_APP_ID', secret: withAppId ? secret('MICROSOFT_APP_ID', 'app-1') : undefined },
  appPasswordEnv: {
    envName: 'MICROSOFT_APP_PASSWORD',
    secret: withAppId ? secret('MICROSOFT_APP_PASSWORD', 'pw') : undefined,
  },
  tenantIdEnv: {
    envName: 'MICROSOFT_APP_TENANT_ID',
    secret: withAppId ? secret('MICROSOFT_APP_TENANT_ID', 'tenant-1') : undefined,
  },
});
const deps = { clock: fixedClock(new Date('2026-11-01T00:00:00Z')), logger: silentLogger };

describe('AAD groups through Microsoft Graph', () => {
  it('should return the role groups a user is in, asking for at most 20 ids per call, and cache the answer', async () => {
    graph = await startFakeGraph([SOC, groupId(25)]);
    const lookup = createGraphGroups(config(graph.url), deps);
    if (!lookup) throw new Error('expected a lookup with app credentials');
    const candidates = [SOC, 'alice@corp.example', 'U0SLACK', ...Array.from({ length: 30 }, (_, i) => groupId(i))];
    expect(await lookup(USER, candidates)).toEqual([SOC, groupId(25)]);
    const checks = graph.calls.filter((c) => c.path.endsWith('/checkMemberGroups'));
    expect(checks.map((c) => (JSON.parse(c.body) as { groupIds: string[] }).groupIds.length)).toEqual([20, 11]);
    expect(graph.calls.filter((c) => c.path.includes('/token'))).toHaveLength(1);
    expect(await lookup(USER, candidates)).toEqual([SOC, groupId(25)]);
    expect(graph.calls.filter((c) => c.path.endsWith('/checkMemberGroups'))).toHaveLength(2);
  });

  it('should give no groups when Graph refuses, and not exist without app credentials', async () => {
    graph = await startFakeGraph([SOC]);
    graph.failNext = 5;
    const lookup = createGraphGroups(config(graph.url), deps);
    expect(await lookup?.(USER, [SOC])).toEqual([]);
    expect(createGraphGroups(config(graph.url, false), deps)).toBeNull();
  });
});
