import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { type SymantecSimulator, startSymantecSimulator } from '../../adapters/dlp/symantec/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { type EgressProxy, startEgressProxy } from '../support/egress-proxy.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack/index.js';
import { paloAltoSource } from '../support/serve-e2e.js';

/**
 * A deployment whose only way out is a corporate proxy: `dlp-bot scan` with a Palo Alto source and Slack behind
 * HTTP_PROXY, and a Symantec source named in NO_PROXY. Everything runs on loopback, which undici does not exempt
 * by itself, so NO_PROXY names the Symantec simulator by host and port and the proxy sees everything else.
 */

const CHANNEL = 'C0DLPEGRESS';
const PROXY_USER = 'egress-user';
const PROXY_PASSWORD = 'proxy-pa55word';

let proxy: EgressProxy;
let pan: PaloAltoSimulator;
let symantec: SymantecSimulator;
let slack: FakeSlack;
let cwd: string;

const hostPort = (url: string) => new URL(url).host;

function writeConfig(sources: unknown[]): void {
  const config = {
    store: { path: './dlp-bot.sqlite' },
    chat: {
      console: { enabled: false },
      slack: {
        mode: 'http',
        port: 0,
        apiUrl: slack.apiUrl,
        defaultChannel: CHANNEL,
        postsPerSecond: 50,
        teamIds: [slack.identity.teamId],
      },
    },
    sources,
  };
  writeFileSync(join(cwd, 'dlp-bot.yaml'), stringify(config));
}

beforeAll(async () => {
  [proxy, pan, symantec, slack] = await Promise.all([
    startEgressProxy(),
    startPaloAltoSimulator({ seed: 7, incidents: 30 }),
    startSymantecSimulator({ seed: 7, incidents: 30 }),
    startFakeSlack({ channels: [{ id: CHANNEL, name: 'dlp-egress' }], rateLimit: false }),
  ]);
  cwd = mkdtempSync(join(tmpdir(), 'dlp-egress-'));
});

afterAll(async () => {
  await Promise.all([proxy.close(), pan.close(), symantec.close(), slack.close()]);
  rmSync(cwd, { recursive: true, force: true });
});

describe('egress through a proxy', () => {
  it('should send every vendor and Slack call through HTTP_PROXY, and none to a NO_PROXY host', async () => {
    const panSource = paloAltoSource(pan);
    writeConfig([
      {
        id: 'pan-prod',
        vendor: 'paloalto',
        baseUrl: pan.baseUrl,
        tokenUrl: pan.tokenUrl,
        tsgId: pan.credentials.tsgId,
        clientIdEnv: 'PAN_ID',
        clientSecretEnv: 'PAN_SECRET',
      },
      symantec.sourceConfig('sym-prod'),
    ]);
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = PROXY_USER;
    proxyUrl.password = PROXY_PASSWORD;

    const run = await runDlpBot(['scan', '--json'], {
      cwd,
      env: {
        ...panSource.env,
        ...symantec.env(),
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: 'egress-signing-secret',
        HTTP_PROXY: proxyUrl.href,
        NO_PROXY: `example.invalid, ${hostPort(symantec.baseUrl)}`,
        DLP_BOT_LOG_LEVEL: 'info',
      },
    });

    expect(run.code, run.stderr).toBe(0);
    const scanned = JSON.parse(run.stdout) as { sources: { source: string; ok: boolean }[] };
    expect(scanned.sources.map((s) => [s.source, s.ok]).sort()).toEqual([
      ['pan-prod', true],
      ['sym-prod', true],
    ]);
    // Every request each server received came through the proxy, and the proxy carried nothing else.
    const panRequests = pan.requests().total;
    const slackCalls = slack.calls().length;
    expect(panRequests).toBeGreaterThan(1);
    expect(slack.calls('chat.postMessage').length).toBeGreaterThan(0);
    expect(proxy.count(hostPort(pan.baseUrl))).toBe(panRequests);
    expect(proxy.count(hostPort(slack.apiUrl))).toBe(slackCalls);
    expect(proxy.requests()).toHaveLength(panRequests + slackCalls);
    // Plain http is forwarded (absolute URI), not tunnelled, with the credentials from the proxy URL.
    const basic = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    for (const request of proxy.requests()) expect(request).toMatchObject({ kind: 'forward', authorization: basic });
    // The NO_PROXY source was scanned directly.
    expect(symantec.requests().total).toBeGreaterThan(0);
    expect(proxy.count(hostPort(symantec.baseUrl))).toBe(0);
    // The log says where calls go, never the proxy's password.
    expect(run.stderr).toContain(proxy.url);
    expect(run.stderr).not.toContain(PROXY_PASSWORD);
  });

  it('should tunnel https calls with CONNECT, resolving nothing itself', async () => {
    writeConfig([
      {
        id: 'pan-far',
        vendor: 'paloalto',
        baseUrl: 'https://pan.vendor.invalid/seed/v1',
        tokenUrl: 'https://auth.vendor.invalid/oauth2/access_token',
        tsgId: pan.credentials.tsgId,
        clientIdEnv: 'PAN_ID',
        clientSecretEnv: 'PAN_SECRET',
        http: { maxRetries: 0 },
      },
    ]);
    const before = proxy.requests().length;

    const run = await runDlpBot(['scan', '--json'], {
      cwd,
      env: {
        ...paloAltoSource(pan).env,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: 'egress-signing-secret',
        HTTPS_PROXY: proxy.url,
      },
    });

    expect(run.code).toBe(1);
    // The proxy was asked for the vendor's token host by name: the bot did no DNS lookup of its own.
    expect(proxy.requests().slice(before)).toContainEqual({
      kind: 'connect',
      target: 'auth.vendor.invalid:443',
      authorization: undefined,
    });
    expect(
      proxy
        .requests()
        .slice(before)
        .every((r) => r.kind === 'connect'),
    ).toBe(true);
  });

  it('should refuse a malformed proxy variable, naming it but not its value', async () => {
    writeConfig([symantec.sourceConfig('sym-prod')]);
    const run = await runDlpBot(['scan', '--json'], {
      cwd,
      env: {
        ...symantec.env(),
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: 'egress-signing-secret',
        https_proxy: 'socks5://user:hunter2@proxy.corp:1080',
      },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/https_proxy is not a proxy URL; expected http:\/\/host:port/);
    expect(run.stderr).not.toContain('hunter2');
  });
});
