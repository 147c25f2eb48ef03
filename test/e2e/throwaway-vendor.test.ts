/**
 * A seventh vendor that exists in this file only: its adapter is registered in memory (ADAPTERS plus it, handed to
 * the real command line as its composition) and its API is a loopback server of this test's own. No other file knows
 * it, yet `config check`, `scan`, the terminal's cards, Slack and a click take it like any registered vendor: the
 * registry is the single source of what a vendor is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import type { Secret } from '../../src/config/secret.js';
import { apiUrl } from '../../src/config/url-schema.js';
import { adapterError } from '../../src/domain/errors.js';
import type { Incident } from '../../src/domain/incident.js';
import { err, ok } from '../../src/domain/result.js';
import { type Composition, composition } from '../../src/main.js';
import { type Capabilities, defineAdapter, type IncidentSource, type SourceResult } from '../../src/ports/index.js';
import { openStore } from '../../src/store/index.js';
import { runDlpBot } from '../support/cli.js';
import { sendBlockAction } from '../support/fake-slack/requests.js';
import type { FakeMessage, Json } from '../support/fake-slack/types.js';
import { ANALYST, eventually, firstPostsSettled, SIGNING_SECRET, startSlackBot } from '../support/slack-e2e.js';
import { incidentOf, slackCards } from '../support/slack-e2e-cards.js';

const TOKEN = 'throwaway-token-value';
const HOUR = 3_600_000;

/** What the throwaway API serves: alerts with its own field names, and the evidence behind each. */
const Alert = z.object({ ref: z.string(), level: z.enum(['high', 'low']), opened: z.iso.datetime(), rule: z.string() });
type Alert = z.infer<typeof Alert>;
const Evidence = z.object({ matches: z.array(z.object({ label: z.string(), text: z.string() })) });

/** The vendor's API: bearer-authenticated, two alerts long past a high-severity SLA, every call recorded. */
async function startThrowawayApi() {
  const opened = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const alerts: Alert[] = [
    { ref: 'TA-1', level: 'high', opened: opened(30), rule: 'Throwaway rule: card numbers' },
    { ref: 'TA-2', level: 'high', opened: opened(50), rule: 'Throwaway rule: payroll export' },
  ];
  const calls: string[] = [];
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
    calls.push(`${request.method} ${request.url}`);
    const [, ref, evidence] = /^\/v1\/alerts(?:\/([^/]+)(\/evidence)?)?$/.exec(request.url ?? '') ?? [];
    const alert = alerts.find((a) => a.ref === ref);
    if (!ref) return send(200, { alerts });
    if (!alert) return send(404, { error: 'no such alert' });
    if (!evidence) return send(200, alert);
    return send(200, { matches: [{ label: 'Card number', text: '4111 1111 1111 1111' }] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise((done) => server.close(done)) };
}

const CAPABILITIES: Capabilities = {
  assign: false,
  note: false,
  falsePositive: false,
  snippets: true,
  writeBack: false,
  incremental: false,
};

/** The source a throwaway entry creates: each call one request, each answer checked with zod. */
function createThrowawaySource(id: string, baseUrl: string, token: Secret): IncidentSource {
  const call = async <T>(path: string, schema: z.ZodType<T>): Promise<SourceResult<T>> => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token.reveal()}` } });
    if (response.status === 401)
      return err(adapterError('auth', 'the throwaway API refused the token', { status: 401 }));
    if (response.status === 404) return err(adapterError('not_found', 'no such alert', { status: 404 }));
    const parsed = schema.safeParse(await response.json());
    return parsed.success ? ok(parsed.data) : err(adapterError('schema_mismatch', 'unexpected answer'));
  };
  const toIncident = (alert: Alert): Incident => ({
    ...{ source: id, id: alert.ref, severity: alert.level, status: 'new', rawStatus: 'open' },
    ...{ createdAt: new Date(alert.opened), updatedAt: null, policy: alert.rule, actor: null, channel: null },
    ...{ application: null, fileName: null, matchCount: 1, assignee: null, link: null },
  });
  const unsupported = async () => err(adapterError('unsupported', 'the throwaway API has no triage calls'));
  return {
    ...{ id, vendor: 'throwaway', displayName: 'Throwaway DLP', capabilities: CAPABILITIES },
    async *listOpen() {
      const listed = await call('/alerts', z.object({ alerts: z.array(Alert) }));
      yield listed.ok
        ? ok({ incidents: listed.value.alerts.map(toIncident), skipped: 0, expectedTotal: null })
        : listed;
    },
    get: async (ref) => {
      const got = await call(`/alerts/${encodeURIComponent(ref)}`, Alert);
      return got.ok ? ok(toIncident(got.value)) : got;
    },
    snippets: async (ref) => {
      const got = await call(`/alerts/${encodeURIComponent(ref)}/evidence`, Evidence);
      return got.ok ? ok(got.value.matches) : got;
    },
    check: async () => ok({ details: ['the throwaway API answered'] }),
    ...{ assign: unsupported, addNote: unsupported, markFalsePositive: unsupported, close: async () => {} },
  };
}

/** Typed by its own fields: `baseUrl` and `tokenEnv` arrive parsed (a URL string, a `Secret`), with no cast. */
const throwaway = defineAdapter({
  vendor: 'throwaway',
  displayName: 'Throwaway DLP',
  config: {
    vendor: 'throwaway',
    fields: (h) => ({
      baseUrl: apiUrl().describe('The throwaway API, e.g. http://127.0.0.1:4010/v1.'),
      tokenEnv: h.secretFromEnv('Environment variable holding the API token.'),
    }),
  },
  endpoint: (config) => ({ url: config.baseUrl }),
  capabilities: () => CAPABILITIES,
  create: (config) => createThrowawaySource(config.id, config.baseUrl, config.tokenEnv),
});

const withThrowaway: Composition = { ...composition, adapters: [...ADAPTERS, throwaway] };
const env = { THROWAWAY_TOKEN: TOKEN };
let api: Awaited<ReturnType<typeof startThrowawayApi>>;
let cwd: string;
/** The source entry a person writes for it, under `sources:`. */
let entry: string[];

beforeAll(async () => {
  api = await startThrowawayApi();
  cwd = mkdtempSync(join(tmpdir(), 'dlp-throwaway-'));
  entry = [
    '  - id: acme-prod',
    '    vendor: throwaway',
    `    baseUrl: ${api.baseUrl}`,
    '    tokenEnv: THROWAWAY_TOKEN',
  ];
  const file = [
    'store: { path: ./dlp-bot.sqlite }',
    'chat:',
    '  console: { enabled: true }',
    // The terminal's triage takes roles from the config like a click: the analyst may view snippets.
    'roles: { analyst: [ana@corp.example] }',
    'sources:',
    ...entry,
  ];
  writeFileSync(join(cwd, 'dlp-bot.yaml'), `${file.join('\n')}\n`);
  writeFileSync(join(cwd, 'typo.yaml'), `sources:\n  - { id: acme-prod, vendor: throwaways }\n`);
});
afterAll(async () => {
  await api?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('a vendor registered in memory only', () => {
  it('should be accepted by config check, and named among the known vendors when a file misspells one', async () => {
    const check = await runDlpBot(['config', 'check'], { cwd, env, composition: withThrowaway });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/acme-prod\s+throwaway\s+yes/);
    const typo = await runDlpBot(['config', 'check', '--config', 'typo.yaml'], { cwd, composition: withThrowaway });
    expect(typo.code).toBe(2);
    const known = [...ADAPTERS, throwaway].map((a) => a.vendor).join(', ');
    expect(typo.stderr).toContain(`unknown vendor "throwaways" (known: ${known})`);
    // The real registry has never heard of it: the test's composition is the only place it exists.
    const real = await runDlpBot(['config', 'check'], { cwd, env });
    expect(real.code).toBe(2);
    expect(real.stderr).toContain('unknown vendor "throwaway"');
  });

  it("should scan its incidents from its own API and print each breach's card on the terminal", async () => {
    const scan = await runDlpBot(['scan'], { cwd, env, composition: withThrowaway });
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(0);
    expect(api.calls).toContain('GET /v1/alerts');
    for (const [ref, rule] of [
      ['acme-prod:TA-1', 'Throwaway rule: card numbers'],
      ['acme-prod:TA-2', 'Throwaway rule: payroll export'],
    ]) {
      expect(scan.stdout).toContain(ref);
      expect(scan.stdout).toContain(rule);
    }
    expect(scan.stdout).toMatch(/Source\s+Throwaway DLP \(acme-prod\)/);
    expect(scan.stdout).toMatch(/acme-prod\s+ok\s+full\s+2\s/);
  });

  it('should be triaged from the terminal like any vendor: the call, the masked answer and the audit row', async () => {
    const run = await runDlpBot(['snippets', 'acme-prod:TA-2', '--as', 'ana@corp.example'], {
      cwd,
      env,
      composition: withThrowaway,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(api.calls).toContain('GET /v1/alerts/TA-2/evidence');
    expect(run.stdout).toContain('Snippets for acme-prod:TA-2');
    expect(run.stdout).not.toContain('4111 1111 1111 1111');
    const store = openStore(join(cwd, 'dlp-bot.sqlite'));
    try {
      const rows = [...store.audit.iterate({})].filter((r) => r.incidentId === 'TA-2' && r.surface === 'console');
      expect(rows).toEqual([
        expect.objectContaining({ action: 'incident.snippets', outcome: 'ok', source: 'acme-prod' }),
      ]);
    } finally {
      store.close();
    }
  });

  it('should post its breaches to Slack, and call it and write an audit row when an analyst clicks', async () => {
    const bot = await startSlackBot({ sources: entry, env, composition: withThrowaway });
    try {
      await firstPostsSettled(bot);
      const cards = slackCards(() => bot);
      expect(
        cards
          .parents()
          .map((m) => incidentOf(m))
          .sort((a, b) => a.id.localeCompare(b.id)),
      ).toEqual([
        { source: 'acme-prod', id: 'TA-1' },
        { source: 'acme-prod', id: 'TA-2' },
      ]);
      const snippets = buttonNamed(cards.parents()[0] as FakeMessage, /snippets/i);
      const message = cards.pick(snippets);
      const { id } = incidentOf(message);
      const reply = await sendBlockAction(
        bot.eventsUrl,
        SIGNING_SECRET,
        cards.clickPayload(ANALYST, message, snippets),
      );
      expect(reply.status).toBe(200);
      const shown = await eventually(
        () => bot.fake.ephemerals(ANALYST.id).find((e) => e.text === `Snippets for acme-prod:${id}`),
        'the snippets',
      );
      // The vendor was called for exactly that evidence, and the core masked what it sent.
      expect(api.calls).toContain(`GET /v1/alerts/${id}/evidence`);
      expect(JSON.stringify(shown.blocks)).not.toContain('4111 1111 1111 1111');
      const row = await eventually(
        () => bot.auditRows().find((r) => r.incident_id === id && r.outcome === 'ok'),
        'the audit row',
      );
      expect(row).toMatchObject({ source: 'acme-prod', actor: `slack:${ANALYST.id} ana@corp.example` });
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 30_000);
});

/** The action id of the card's button whose label matches: found by what a person reads, not by a constant. */
function buttonNamed(message: FakeMessage, label: RegExp): string {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as { elements?: Json[] }).elements ?? []) as Json[]) {
      const text = (element.text as { text?: string } | undefined)?.text ?? '';
      if (label.test(text)) return String(element.action_id);
    }
  }
  throw new Error(`no button labelled ${label} on the card`);
}
