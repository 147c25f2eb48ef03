import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { parseConfigObject } from '../../../src/app/sandbox.js';
import { findConfigFile, formatKeyPath, loadConfig, parseConfigText } from '../../../src/config/load.js';
import { isSecret, type Secret } from '../../../src/config/secret.js';
import { composition } from '../../../src/main.js';
import { TEST_KEY_PEM } from '../../support/symphony.js';

const vendors = ADAPTERS.map((a) => a.config);
const surfaces = composition.surfaces({ write: () => true }).map((s) => s.config);
const env = { PAN_ID: 'client-id-value', PAN_SECRET: 'super-secret-value' };

const minimal = `
sources:
  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: PAN_SECRET
`;

function parse(text: string, withEnv: Record<string, string> = env) {
  return parseConfigText(text, '/etc/dlp-bot.yaml', withEnv, vendors, surfaces);
}

describe('parseConfigText', () => {
  it('should fill every default for a minimal file', () => {
    const result = parse(minimal);
    expect(result.kind).toBe('file');
    if (result.kind !== 'file') return;
    const { config } = result;
    expect(config.sla.hours).toEqual({});
    expect(config.sla.dueSoonAt).toBe(0.75);
    expect(config.sla.escalateAt).toBe(2);
    expect(config.sla.awaitingTriage).toEqual(['new', 'open']);
    expect(config.scan).toEqual({
      schedule: '*/15 * * * *',
      fullResyncEvery: 4,
      overlapMinutes: 10,
      vanishGuard: { share: 0.5, minIncidents: 5 },
    });
    expect(config.store.path).toBe('./data/dlp-bot.sqlite');
    const [source] = config.sources;
    expect(source).toMatchObject({ id: 'pan-prod', vendor: 'paloalto', enabled: true, pageSize: 500 });
    expect(source?.http).toMatchObject({ maxRetries: 4, connections: 4, headersTimeoutMs: 30_000 });
    expect(config.triage).toEqual({ falsePositiveReason: 'optional' });
  });

  it('should take the false-positive reason policy, and name a misspelt one', () => {
    const required = parse(`${minimal}triage:\n  falsePositiveReason: required\n`);
    expect(required.kind === 'file' && required.config.triage).toEqual({ falsePositiveReason: 'required' });
    const wrong = parse(`${minimal}triage:\n  falsePositiveReason: always\n`);
    if (wrong.kind !== 'invalid') throw new Error('expected problems');
    expect(wrong.problems.map((p) => p.path)).toEqual(['triage.falsePositiveReason']);
  });

  it('should read secrets from the named environment variables and never print them', () => {
    const result = parse(minimal);
    if (result.kind !== 'file') throw new Error('expected a valid config');
    const source = result.config.sources[0] as unknown as Record<string, { reveal(): string }>;
    expect(source.clientSecretEnv?.reveal()).toBe('super-secret-value');
    const printed = [
      JSON.stringify(result.config),
      inspect(result.config, { depth: 10 }),
      String(source.clientSecretEnv),
    ];
    for (const text of printed) {
      expect(text).not.toContain('super-secret-value');
      expect(text).not.toContain('client-id-value');
    }
    expect(JSON.stringify(result.config)).toContain('$PAN_SECRET');
  });

  it('should report every problem at once, each with its key path', () => {
    const text = `
sla:
  hours: { high: -1, urgent: 3 }
  dueSoonAt: 1.5
  calendar: { timeZone: Mars/Olympus, workingHours: { start: "18:00", end: "09:00" } }
scan:
  schedule: "every 5 minutes"
sources:
  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: MISSING_SECRET
    pageSize: 9000
    colour: blue
  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: the-actual-secret!
  - id: sym
    vendor: not-a-vendor
`;
    const result = parse(text);
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    const byPath = new Map(result.problems.map((p) => [p.path, p.message]));
    expect(byPath.get('sla.hours.high')).toMatch(/>0|positive|greater/i);
    expect(byPath.get('sla.hours')).toMatch(
      /^unknown key "urgent" \(expected one of: critical, high, medium, low, info\)$/,
    );
    expect(byPath.has('sla.dueSoonAt')).toBe(true);
    expect(byPath.get('sla.calendar.timeZone')).toMatch(/time zone/);
    expect(byPath.get('sla.calendar.workingHours')).toMatch(/before/);
    expect(byPath.get('scan.schedule')).toMatch(/cron/);
    expect(byPath.get('sources[0] (pan-prod).clientSecretEnv')).toBe('environment variable MISSING_SECRET is not set');
    expect(byPath.has('sources[0] (pan-prod).pageSize')).toBe(true);
    expect(byPath.get('sources[0] (pan-prod)')).toMatch(
      /^unknown key "colour" \(expected one of: id, enabled, .*clientSecretEnv/,
    );
    expect(byPath.get('sources[1] (pan-prod).clientSecretEnv')).toMatch(/name of an environment variable/);
    expect(byPath.get('sources[2] (sym).vendor')).toBe(
      `unknown vendor "not-a-vendor" (known: ${ADAPTERS.map((a) => a.vendor).join(', ')})`,
    );
    expect(result.problems.length).toBeGreaterThanOrEqual(11);
  });

  it("should report a vendor's cross-field problem in the same round as another source's field error", () => {
    const text = `
scan:
  schedule: "every 5 minutes"
sources:
  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: MISSING_SECRET
    pageSize: 9000
  - id: pan-cloud
    vendor: paloalto
    api: published
    clientIdEnv: PAN_ID
    clientSecretEnv: PAN_SECRET
  - id: other
    vendor: not-a-vendor
`;
    const result = parse(text);
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    const byPath = new Map(result.problems.map((p) => [p.path, p.message]));
    expect(byPath.get('scan.schedule')).toMatch(/cron/);
    // An unset variable and an unknown vendor stop zod from checking the file as a whole; they must not hold
    // back the cross-field check of a source whose own fields are fine.
    expect(byPath.get('sources[0] (pan-prod).clientSecretEnv')).toBe('environment variable MISSING_SECRET is not set');
    expect(byPath.has('sources[0] (pan-prod).pageSize')).toBe(true);
    expect(byPath.has('sources[2] (other).vendor')).toBe(true);
    expect(byPath.get('sources[1] (pan-cloud).tsgId')).toMatch(/api: published needs tsgId/);
    // The source whose fields fail is not also given cross-field guesses built on a half-parsed entry.
    expect([...byPath.keys()].filter((path) => path.startsWith('sources[0] (pan-prod)')).sort()).toEqual([
      'sources[0] (pan-prod).clientSecretEnv',
      'sources[0] (pan-prod).pageSize',
    ]);
  });

  it.each([
    ['paloalto', 'baseUrl: ftp://api.example/v4', 'baseUrl', /expected an https URL/],
    ['skyhigh', 'baseUrl: http://www.myshn.net/shnapi/rest/external/api', 'baseUrl', /clear text: use https:\/\//],
    ['paloalto', 'tokenUrl: https://me:pw@auth.example/oauth2/access_token', 'tokenUrl', /must not carry a user/],
    [
      'symantec',
      'baseUrl: https://me:pw@enforce.example/ProtectManager/webservices/v2',
      'baseUrl',
      /must not carry a user/,
    ],
    ['skyhigh', 'baseUrl: https://me:pw@www.myshn.net/shnapi/rest/external/api', 'baseUrl', /must not carry a user/],
    ['zscaler', 'baseUrl: https://api.us1.zsworkflow.net/?key=abc', 'baseUrl', /must not carry a query/],
    ['symphony', 'podUrl: https://me:pw@acme.symphony.com', 'podUrl', /must not carry a user/],
  ])('should refuse a %s URL the HTTP client cannot use (%s)', (vendor, line, key, message) => {
    const keys: Record<string, string> = {
      paloalto: 'clientIdEnv: PAN_ID\n    clientSecretEnv: PAN_SECRET',
      symantec:
        'baseUrl: https://enforce.example/ProtectManager/webservices/v2\n    usernameEnv: PAN_ID\n    passwordEnv: PAN_SECRET',
      skyhigh: 'usernameEnv: PAN_ID\n    passwordEnv: PAN_SECRET',
      zscaler: 'keyIdEnv: PAN_ID\n    keySecretEnv: PAN_SECRET',
      symphony: `podUrl: https://acme.symphony.com\n    username: bot\n    privateKeyEnv: KEY`,
    };
    const own = (keys[vendor] ?? '').split('\n').filter((l) => !l.trim().startsWith(`${key}:`));
    const text = `sources:\n  - id: one\n    vendor: ${vendor}\n    ${[...own.map((l) => l.trim()), line].join('\n    ')}\n`;
    const result = parse(text, { ...env, KEY: TEST_KEY_PEM });
    if (result.kind !== 'invalid') throw new Error(`expected problems for ${text}`);
    expect(result.problems).toEqual([{ path: `sources[0] (one).${key}`, message: expect.stringMatching(message) }]);
  });

  it('should not want the variables of a source or chat section that is switched off', () => {
    const text = `${minimal}  - id: sym-off
    vendor: symantec
    enabled: false
    baseUrl: https://enforce.example/ProtectManager/webservices/v2
    usernameEnv: UNSET_USER
    passwordEnv: UNSET_PASSWORD
  - id: sym-eu
    vendor: symantec
    baseUrl: https://enforce.example/ProtectManager/webservices/v2
    usernameEnv: UNSET_USER
    passwordEnv: PAN_SECRET
    pageSize: 0
chat:
  slack:
    enabled: false
`;
    const result = parse(text);
    if (result.kind !== 'invalid') throw new Error('expected problems');
    // The switched-on entry still gets its unset variable reported with its other field errors, in one round.
    expect(result.problems).toHaveLength(2);
    expect(result.problems).toContainEqual({
      path: 'sources[2] (sym-eu).usernameEnv',
      message: 'environment variable UNSET_USER is not set',
    });
    expect(result.problems.map((p) => p.path)).toContain('sources[2] (sym-eu).pageSize');
    const off = parse(text.replace(/ {2}- id: sym-eu[\s\S]*?pageSize: 0\n/, ''));
    if (off.kind !== 'file') throw new Error(`expected a valid config: ${JSON.stringify(off)}`);
    expect(off.config.sources.map((s) => [s.id, s.enabled])).toEqual([
      ['pan-prod', true],
      ['sym-off', false],
    ]);
    expect(off.config.chat.slack?.enabled).toBe(false);
    // An unset variable carries no value to leak, and says so if it is ever printed.
    expect(JSON.stringify(off.config.sources[1])).toContain('"usernameEnv":"(unset: $UNSET_USER)"');
    // Nothing reads a switched-off section's secrets; if something ever does, it fails loudly rather than sending "".
    const unset = off.config.sources[1]?.usernameEnv as Secret;
    expect(() => unset.reveal()).toThrow('$UNSET_USER is not set');
    expect(isSecret(unset)).toBe(false);
  });

  it('should name duplicate source ids and policy overrides for unknown sources', () => {
    const text = `${minimal}  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: PAN_SECRET
sla:
  policies:
    - match: "PCI*"
      sources: [nope]
      hours: { high: 1 }
`;
    const result = parse(text);
    if (result.kind !== 'invalid') throw new Error('expected problems');
    expect(result.problems).toContainEqual({
      path: 'sources[1] (pan-prod).id',
      message: 'duplicate source id "pan-prod" (also sources[0])',
    });
    expect(result.problems).toContainEqual({ path: 'sla.policies[0].sources', message: 'unknown source id "nope"' });
  });

  it('should locate YAML syntax errors by line and column', () => {
    const result = parse('sources:\n  - id: [unclosed\n');
    if (result.kind !== 'invalid') throw new Error('expected problems');
    expect(result.problems[0]?.path).toMatch(/^line \d+, column \d+$/);
  });

  it('should reject a YAML file whose keys repeat rather than silently keep the last one', () => {
    const result = parse(`${minimal}scan:\n  schedule: "* * * * *"\nscan:\n  schedule: "*/5 * * * *"\n`);
    expect(result.kind).toBe('invalid');
  });

  it('should require at least one source', () => {
    const result = parse('sources: []\n');
    if (result.kind !== 'invalid') throw new Error('expected problems');
    expect(result.problems).toContainEqual({ path: 'sources', message: 'configure at least one source' });
  });
});

describe('chat, roles, routes and identity', () => {
  const slack = (section: string, extra = '') => `${minimal}chat:\n  slack:\n    teamIds: [T0CORP]\n${section}${extra}`;

  it('should require the workspace ids outside the sandbox, naming the key and where to find an id', () => {
    const withEnv = { ...env, SLACK_BOT_TOKEN: 'b', SLACK_APP_TOKEN: 'a' };
    const missing = parse(`${minimal}chat:\n  slack:\n    mode: socket\n`, withEnv);
    if (missing.kind !== 'invalid') throw new Error('expected chat.slack without teamIds to be refused');
    expect(missing.problems).toEqual([
      {
        path: 'chat.slack.teamIds',
        message: expect.stringMatching(/^required: the workspace ids \(T…\).*workspace URL.*auth\.test/),
      },
    ]);
    const bad = parse(slack('    enterpriseIds: [T0CORP]\n').replace('[T0CORP]', '[corp]'), withEnv);
    if (bad.kind !== 'invalid') throw new Error('expected bad ids to be refused');
    expect(bad.problems.map((p) => p.path)).toEqual(['chat.slack.teamIds[0]', 'chat.slack.enterpriseIds[0]']);
    const grid = parse(slack('    enterpriseIds: [E0ORG]\n'), withEnv);
    if (grid.kind !== 'file') throw new Error('expected a valid config');
    expect(grid.config.chat.slack).toMatchObject({ teamIds: ['T0CORP'], enterpriseIds: ['E0ORG'] });
    // Switched off, Slack serves nobody and needs none.
    expect(parse(`${minimal}chat:\n  slack: { enabled: false }\n`).kind).toBe('file');
  });

  it('should let the sandbox, which has no file to say it, run Slack for whoever reaches it', () => {
    const surfaces = composition.surfaces({ write: () => true });
    const raw = {
      sources: [{ id: 'pan-prod', vendor: 'paloalto', clientIdEnv: 'PAN_ID', clientSecretEnv: 'PAN_SECRET' }],
    };
    const withSlack = { ...raw, chat: { slack: { mode: 'socket' } } };
    const sandboxEnv = { ...env, SLACK_BOT_TOKEN: 'b', SLACK_APP_TOKEN: 'a' };
    const config = parseConfigObject(withSlack, sandboxEnv, ADAPTERS, surfaces, { sandbox: true });
    expect(config.chat.slack?.teamIds).toBeUndefined();
    expect(() => parseConfigObject(withSlack, sandboxEnv, ADAPTERS, surfaces)).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ path: 'chat.slack.teamIds' })] }),
    );
  });

  it('should need the app-level token for Socket Mode and the signing secret for HTTP mode', () => {
    const socket = parse(slack('    mode: socket\n'), { ...env, SLACK_BOT_TOKEN: 'b' });
    if (socket.kind !== 'invalid') throw new Error('expected problems');
    expect(socket.problems).toEqual([
      { path: 'chat.slack.appTokenEnv', message: expect.stringContaining('Socket Mode needs an app-level token') },
    ]);
    const http = parse(slack('    mode: http\n'), { ...env, SLACK_BOT_TOKEN: 'b' });
    if (http.kind !== 'invalid') throw new Error('expected problems');
    expect(http.problems).toEqual([
      { path: 'chat.slack.signingSecretEnv', message: expect.stringContaining('HTTP mode needs the signing secret') },
    ]);
    expect(parse(slack('    mode: http\n'), { ...env, SLACK_BOT_TOKEN: 'b', SLACK_SIGNING_SECRET: 's' }).kind).toBe(
      'file',
    );
    // With no token at all, both are named in one round.
    const none = parse(slack('    mode: socket\n'));
    if (none.kind !== 'invalid') throw new Error('expected problems');
    expect(none.problems.map((p) => p.path)).toEqual(['chat.slack.botTokenEnv', 'chat.slack.appTokenEnv']);
  });

  it("should report a chat surface's cross-field problem in the same round as a source's unset variable", () => {
    const text = slack('    mode: socket\n').replace('clientSecretEnv: PAN_SECRET', 'clientSecretEnv: MISSING_SECRET');
    const result = parse(text, { ...env, SLACK_BOT_TOKEN: 'b' });
    if (result.kind !== 'invalid') throw new Error('expected problems');
    expect(result.problems).toHaveLength(2);
    expect(result.problems).toContainEqual({
      path: 'sources[0] (pan-prod).clientSecretEnv',
      message: 'environment variable MISSING_SECRET is not set',
    });
    expect(result.problems).toContainEqual({
      path: 'chat.slack.appTokenEnv',
      message: expect.stringContaining('Socket Mode needs an app-level token'),
    });
  });

  it('should take Slack defaults from SLACK_* variables and check them like file values', () => {
    const withEnv = { ...env, SLACK_BOT_TOKEN: 'b', SLACK_SIGNING_SECRET: 's', SLACK_MODE: 'http', SLACK_PORT: '3100' };
    const ok = parse(slack('    enabled: true\n'), { ...withEnv, SLACK_CHANNEL: 'C0ALERTS' });
    if (ok.kind !== 'file') throw new Error('expected a valid config');
    expect(ok.config.chat.slack).toMatchObject({ mode: 'http', port: 3100, defaultChannel: 'C0ALERTS' });
    const badMode = parse(slack('    enabled: true\n'), { ...withEnv, SLACK_MODE: 'HTTP' });
    if (badMode.kind !== 'invalid') throw new Error('expected SLACK_MODE=HTTP to be refused');
    expect(badMode.problems).toEqual([
      { path: 'chat.slack.mode', message: 'expected socket or http (the default comes from $SLACK_MODE when set)' },
    ]);
    const badPort = parse(slack('    enabled: true\n'), { ...withEnv, SLACK_PORT: 'http' });
    if (badPort.kind !== 'invalid') throw new Error('expected SLACK_PORT=http to be refused');
    expect(badPort.problems).toEqual([
      { path: 'chat.slack.port', message: 'expected a port number from 0 to 65535 ($SLACK_PORT is "http")' },
    ]);
    const bad = parse(slack('    enabled: true\n'), { ...withEnv, SLACK_CHANNEL: '#alerts' });
    if (bad.kind !== 'invalid') throw new Error('expected problems');
    expect(bad.problems).toContainEqual({
      path: 'chat.slack.defaultChannel',
      message: expect.stringContaining('channel id'),
    });
  });

  it('should report routes to unknown surfaces or sources, unknown role keys and unknown identity sources', () => {
    const text = `${minimal}roles:\n  default: superuser\n  wizard: [x]\nroutes:\n  - sources: [nope]\n    channels: { pager: [X1] }\nidentity:\n  vendorUsers:\n    - { email: a@corp.example, source: gone, vendorUser: a }\n`;
    const result = parse(text);
    if (result.kind !== 'invalid') throw new Error('expected problems');
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['roles.default', 'roles']));
    const again = parse(
      `${minimal}routes:\n  - sources: [nope]\n    channels: { pager: [X1] }\nidentity:\n  vendorUsers:\n    - { email: a@corp.example, source: gone, vendorUser: a }\n`,
    );
    if (again.kind !== 'invalid') throw new Error('expected problems');
    expect(again.problems).toEqual(
      expect.arrayContaining([
        { path: 'routes[0].sources', message: 'unknown source id "nope"' },
        { path: 'routes[0].channels.pager', message: expect.stringContaining('unknown chat surface "pager"') },
        { path: 'identity.vendorUsers[0].source', message: 'unknown source id "gone"' },
      ]),
    );
  });
});

describe('channel ids in routes and escalation', () => {
  it("should check each surface's channel ids where routes and escalation name them", () => {
    const text = `${minimal}chat: { slack: { enabled: false }, teams: { enabled: false } }
routes:
  - channels: { slack: [C0123ABCD, "#soc"], teams: ["19:abc@thread.tacv2", "DLP alerts"] }
escalation:
  leadChannels: { slack: [soc-leads] }
`;
    const result = parse(text);
    if (result.kind !== 'invalid') throw new Error('expected problems');
    expect(result.problems).toEqual([
      { path: 'routes[0].channels.slack[1]', message: expect.stringContaining('expected a Slack channel id') },
      { path: 'routes[0].channels.teams[1]', message: expect.stringContaining('expected a Teams conversation id') },
      { path: 'escalation.leadChannels.slack[0]', message: expect.stringContaining('expected a Slack channel id') },
    ]);
  });
});

describe('config.example.yaml', () => {
  it('should be a valid config when the environment variables it names are set', () => {
    const text = readFileSync(new URL('../../../config.example.yaml', import.meta.url), 'utf8');
    const result = parse(text, {
      PAN_CLIENT_ID: 'x',
      PAN_CLIENT_SECRET: 'y',
      SYMANTEC_USER: 'u',
      SYMANTEC_PASSWORD: 'p',
      SKYHIGH_USER: 'u',
      SKYHIGH_PASSWORD: 'p',
      // `config check` reads the key, so it must be a real RSA key.
      SYMPHONY_BOT_PRIVATE_KEY: TEST_KEY_PEM,
      ZSCALER_KEY_ID: 'k',
      ZSCALER_KEY_SECRET: 's',
      SLACK_BOT_TOKEN: 'b',
      SLACK_APP_TOKEN: 'a',
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TENANT_ID: 'tenant',
    });
    expect(result.kind === 'invalid' ? result.problems : []).toEqual([]);
  });
});

describe('findConfigFile and loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlp-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should prefer --config, then DLP_BOT_CONFIG, then ./dlp-bot.yaml, else report none', () => {
    expect(findConfigFile({ env: {}, cwd: dir })).toBeNull();
    writeFileSync(join(dir, 'dlp-bot.yaml'), minimal);
    expect(findConfigFile({ env: {}, cwd: dir })).toEqual({ path: join(dir, 'dlp-bot.yaml'), explicit: false });
    expect(findConfigFile({ env: { DLP_BOT_CONFIG: 'other.yaml' }, cwd: dir })?.path).toBe(join(dir, 'other.yaml'));
    expect(findConfigFile({ flag: '/abs/flag.yaml', env: { DLP_BOT_CONFIG: 'other.yaml' }, cwd: dir })?.path).toBe(
      '/abs/flag.yaml',
    );
  });

  it('should treat a named file that does not exist as a problem, never as the sandbox', () => {
    const result = loadConfig({ flag: 'missing.yaml', env, cwd: dir }, vendors);
    expect(result).toEqual({
      kind: 'invalid',
      path: join(dir, 'missing.yaml'),
      problems: [{ path: '(file)', message: 'file not found' }],
    });
  });

  it('should load ./dlp-bot.yaml from the working directory', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'dlp-bot.yaml'), minimal);
    expect(loadConfig({ env, cwd: dir }, vendors).kind).toBe('file');
    expect(loadConfig({ env, cwd: join(dir, 'sub') }, vendors).kind).toBe('none');
  });
});

describe('formatKeyPath', () => {
  it('should print array indexes in brackets and keys with dots', () => {
    expect(formatKeyPath(['sources', 0, 'sla', 'hours', 'high'])).toBe('sources[0].sla.hours.high');
    expect(formatKeyPath([])).toBe('(top level)');
  });
});
