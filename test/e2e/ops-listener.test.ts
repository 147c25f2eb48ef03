import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';
import { sendBlockAction } from '../support/fake-slack/requests.js';
import { fixedClock } from '../support/fixed-clock.js';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.js';
import { parseMetrics, sum, where } from '../support/prometheus.js';
import { paloAltoSource, queryStore, quietSchedules } from '../support/serve-e2e.js';
import {
  ANALYST,
  CHANNEL,
  eventually,
  firstPostsSettled,
  SIGNING_SECRET,
  type SlackBot,
  startSlackBot,
} from '../support/slack-e2e.js';
import { slackCards } from '../support/slack-e2e-cards.js';

/**
 * The ops listener as an operator's probes and Prometheus meet it: a real `dlp-bot serve` with `ops.port` set, the
 * fake Slack in HTTP mode and the Palo Alto simulator behind a gate that holds the first scan until the test opens it.
 * Time moves only on the shared fixed clock; the scan schedule fires once a year, so nothing else scans meanwhile.
 */
const clock = fixedClock('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
let simulator: PaloAltoSimulator;
let gate: GateProxy;
let bot: SlackBot;
let ops: string;

beforeAll(async () => {
  simulator = await startPaloAltoSimulator({ seed: 42, incidents: 40, clock });
  gate = await startGateProxy(new URL(simulator.baseUrl).origin);
  const origin = new URL(simulator.baseUrl).origin;
  bot = await startSlackBot({
    clock,
    config: ['ops: { port: 0 }'],
    sources: [
      '  - id: pan-prod',
      '    vendor: paloalto',
      `    baseUrl: ${simulator.baseUrl.replace(origin, gate.url)}`,
      `    tokenUrl: ${simulator.tokenUrl.replace(origin, gate.url)}`,
      `    tsgId: "${simulator.credentials.tsgId}"`,
      '    clientIdEnv: PAN_ID',
      '    clientSecretEnv: PAN_SECRET',
    ],
    env: { PAN_ID: simulator.credentials.clientId, PAN_SECRET: simulator.credentials.clientSecret },
  });
  ops =
    /Health and metrics at (http:\/\/127\.0\.0\.1:\d+) \(\/livez, \/readyz, \/metrics\)/.exec(bot.stdout())?.[1] ?? '';
}, 30_000);
afterAll(async () => {
  gate?.open();
  expect(await bot?.stop()).toBe(0);
  await gate?.close();
  await simulator?.close();
});

const get = async (path: string) => {
  const response = await fetch(`${ops}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};
const readyz = async () => {
  const { status, text } = await get('/readyz');
  return {
    status,
    body: JSON.parse(text) as {
      status: string;
      failed: string[];
      checks: { check: string; ok: boolean; detail: string }[];
    },
  };
};

describe('the ops listener', () => {
  it('should say where it listens, on loopback, and answer /livez while the first scan is still held', async () => {
    expect(ops).not.toBe('');
    expect(await eventually(() => gate.received() > 0, 'the first vendor request')).toBe(true);
    const livez = await get('/livez');
    expect(livez.status).toBe(200);
    expect(JSON.parse(livez.text)).toEqual({ status: 'ok' });
  });

  it('should answer /readyz 503 before the first scan, naming the source it waits for', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.failed).toEqual(['source pan-prod']);
    expect(body.checks).toEqual([
      { check: 'store', ok: true, detail: 'open' },
      { check: 'instance lock', ok: true, detail: 'held' },
      { check: 'source pan-prod', ok: false, detail: 'no successful scan yet' },
      { check: 'chat slack', ok: true, detail: 'connected' },
    ]);
  });

  it('should be ready once the scan went through, and count the scan, cards, click and vendor calls in /metrics', async () => {
    gate.open();
    await firstPostsSettled(bot);
    expect((await readyz()).status).toBe(200);

    const cards = slackCards(() => bot);
    const message = cards.pick('incident.take');
    const click = await sendBlockAction(
      bot.eventsUrl,
      SIGNING_SECRET,
      cards.clickPayload(ANALYST, message, 'incident.take'),
    );
    expect(click.status).toBe(200);
    await eventually(() => bot.fake.threadReplies(CHANNEL, message.ts)[0], 'the thread reply of the click');
    const pendingInStore = () =>
      queryStore(bot.storePath, (db) =>
        db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get(),
      ) as {
        n: number;
      };
    await eventually(() => pendingInStore().n === 0, 'the outbox to drain');

    const scrape = await get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parseMetrics(scrape.text);
    const metric = metrics.series;
    expect(metrics.families).toEqual(
      expect.arrayContaining([
        { name: 'dlp_bot_scans_total', type: 'COUNTER' },
        { name: 'dlp_bot_scan_duration_seconds', type: 'HISTOGRAM' },
        { name: 'dlp_bot_click_ack_seconds', type: 'HISTOGRAM' },
        { name: 'dlp_bot_incidents_open', type: 'GAUGE' },
      ]),
    );

    const scanned = { source: 'pan-prod', outcome: 'ok' };
    expect(metric('dlp_bot_scans_total')).toEqual([{ labels: scanned, value: 1 }]);
    expect(metric('dlp_bot_scan_duration_seconds_count')).toEqual([{ labels: scanned, value: 1 }]);
    expect(where(metric('dlp_bot_scan_duration_seconds_bucket'), { ...scanned, le: '+Inf' })).toBe(1);

    const stored = queryStore(bot.storePath, (db) => ({
      open: db
        .prepare(
          "SELECT severity, coalesce(sla_state, 'none') AS state, count(*) AS n FROM incidents WHERE status NOT IN ('resolved', 'false_positive', 'dismissed') GROUP BY 1, 2",
        )
        .all() as { severity: string; state: string; n: number }[],
      audit: (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n,
    }));
    const incidents = metric('dlp_bot_incidents_open');
    expect(sum(incidents)).toBe(stored.open.reduce((total, row) => total + row.n, 0));
    for (const row of stored.open) {
      expect(where(incidents, { source: 'pan-prod', severity: row.severity, sla_state: row.state })).toBe(row.n);
    }
    expect(where(incidents, { sla_state: 'breached' })).toBeGreaterThan(0);

    expect(metric('dlp_bot_outbox_pending')).toEqual([{ labels: {}, value: 0 }]);
    expect(metric('dlp_bot_outbox_oldest_pending_age_seconds')).toEqual([{ labels: {}, value: 0 }]);
    expect(metric('dlp_bot_outbox_dead_letters')).toEqual([{ labels: {}, value: 0 }]);
    expect(metric('dlp_bot_audit_chain_length')).toEqual([{ labels: {}, value: stored.audit }]);

    // Posts (cards, roll-ups, DMs) and thread replies are both chat.postMessage; card updates are chat.update.
    const answered = (method: string) => bot.fake.calls(method).filter((call) => call.status === 200).length;
    const deliveries = metric('dlp_bot_chat_deliveries_total');
    expect(where(deliveries, { surface: 'slack', kind: 'post', outcome: 'ok' })).toBe(cards.parents().length);
    expect(
      where(deliveries, { kind: 'post', outcome: 'ok' }) + where(deliveries, { kind: 'reply', outcome: 'ok' }),
    ).toBe(answered('chat.postMessage'));
    expect(where(deliveries, { surface: 'slack', kind: 'update', outcome: 'ok' })).toBe(answered('chat.update'));
    expect(where(deliveries, { outcome: 'failed' })).toBe(0);
    expect(metric('dlp_bot_chat_rate_limited_total')).toEqual([]);

    expect(metric('dlp_bot_click_ack_seconds_count')).toEqual([{ labels: { surface: 'slack' }, value: 1 }]);
    expect(sum(metric('dlp_bot_click_ack_seconds_sum'))).toBeGreaterThan(0);
    expect(where(metric('dlp_bot_click_ack_seconds_bucket'), { surface: 'slack', le: '3' })).toBe(1);

    const vendor = metric('dlp_bot_vendor_requests_total');
    expect(sum(vendor)).toBe(simulator.requests().total);
    expect(where(vendor, { source: 'pan-prod', status_class: '2xx' })).toBe(simulator.requests().total);
    expect(sum(metric('dlp_bot_process_resident_memory_bytes'))).toBeGreaterThan(0);
  });

  it('should answer /readyz 503 once a source has gone two schedule periods without a successful scan', async () => {
    // The scan schedule fires on 1 January: a period is a year, so three years on the source is stale.
    clock.advance(3 * 366 * DAY);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.failed).toEqual(['source pan-prod']);
    expect(body.checks.find((c) => c.check === 'source pan-prod')?.detail).toBe(
      'last successful scan 2026-11-23 10:00 UTC, over two schedule periods ago',
    );
  });

  it('should refuse anything but reading, and name its paths for anything else', async () => {
    const post = await fetch(`${ops}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    const missing = await get('/healthz');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ paths: ['/livez', '/readyz', '/metrics'] });
  });
});

describe('an ops port already taken', () => {
  it('should stop serve at start with a message naming the address and the keys to change', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const cwd = mkdtempSync(join(tmpdir(), 'dlp-ops-taken-'));
    try {
      writeFileSync(
        join(cwd, 'dlp-bot.yaml'),
        [
          'store: { path: ./dlp-bot.sqlite }',
          `ops: { port: ${port} }`,
          ...quietSchedules(),
          'sources:',
          ...paloAltoSource(simulator).sources,
        ].join('\n'),
      );
      const run = await runDlpBot(['serve'], { cwd, clock, env: paloAltoSource(simulator).env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `dlp-bot: the ops listener cannot listen on 127.0.0.1:${port} (the port is in use): check ops.host and ops.port`,
      );
    } finally {
      taken.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
