import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { runDlpBot } from '../support/cli.js';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-config-e2e-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('bad input on the command line', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['agin'], /^dlp-bot: unknown command "agin"; did you mean "aging"\?\n/],
    [['audit', 'frob'], /^dlp-bot: unknown subcommand "frob" for audit \(verify, export\)\n/],
    // A lone unknown word may be a source id (`aging pan-prod`); two words must start with a severity.
    [['aging', 'urgent', 'pan-prod'], /severity must be critical, high, medium, low or info/],
    [['aging', '--limit'], /--limit/],
    [['scan', '--once', 'now'], /no positional arguments/],
    [['--config'], /--config needs a file path/],
  ])('should answer %j with usage on stderr and exit 2', async (argv, message) => {
    const run = await runDlpBot(argv, { cwd, clock });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('should name DLP_BOT_LOG_LEVEL and its levels when it holds something else, and exit 2', async () => {
    const run = await runDlpBot(['sla'], { cwd, clock, env: { DLP_BOT_LOG_LEVEL: 'loud' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'dlp-bot: DLP_BOT_LOG_LEVEL is "loud"; expected trace, debug, info, warn, error, fatal or silent\n',
    );
  });

  it('should print help on stdout and exit 0', async () => {
    const run = await runDlpBot(['--help'], { cwd, clock });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dlp-bot aging');
    expect(run.stdout).toContain('dlp-bot --version prints the version.');
  });

  it("should print package.json's version for --version, before any config is read", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runDlpBot(['--version', '--config', 'nowhere.yaml'], { cwd, clock });
    expect(run).toEqual({ code: 0, stdout: `dlp-bot ${version}\n`, stderr: '' });
  });
});

describe('a config file', () => {
  it('should list every problem at once and exit 2, without falling back to the sandbox', async () => {
    const path = join(cwd, 'broken.yaml');
    writeFileSync(
      path,
      'sla:\n  hours: { high: 0 }\nsources:\n  - id: Bad_Id\n    vendor: paloalto\n    clientIdEnv: NOPE_ID\n    clientSecretEnv: NOPE_SECRET\n',
    );
    const run = await runDlpBot(['scan', '--once', '--config', path], { cwd, clock });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${path} has 4 problem(s):`);
    expect(run.stderr).toContain('sla.hours.high:');
    expect(run.stderr).toContain('sources[0] (Bad_Id).id: expected lowercase letters, digits and dashes');
    expect(run.stderr).toContain('sources[0] (Bad_Id).clientIdEnv: environment variable NOPE_ID is not set');
    expect(run.stderr).toContain('sources[0] (Bad_Id).clientSecretEnv: environment variable NOPE_SECRET is not set');
  });

  it("should list a chat surface's cross-field problems with the rest of the file's, in one round", async () => {
    // Socket Mode without an app token and no workspace ids are the Slack surface's own rules; the source's problems are the schema's,
    // and an unset variable used to stop the whole file before any surface rule ran.
    const path = join(cwd, 'slack-and-source.yaml');
    writeFileSync(
      path,
      'chat:\n  slack:\n    mode: socket\nsources:\n  - id: Bad_Id\n    vendor: paloalto\n    clientIdEnv: PAN_ID\n    clientSecretEnv: NOPE_SECRET\n',
    );
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', PAN_ID: 'id' };
    const run = await runDlpBot(['config', 'check', '--config', path], { cwd, clock, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path} has 4 problem(s):`);
    expect(run.stderr).toContain('chat.slack.appTokenEnv: Socket Mode needs an app-level token');
    // Fail closed: which workspaces the bot serves is for the file to say, with where to find their ids.
    expect(run.stderr).toMatch(/chat\.slack\.teamIds: required: the workspace ids \(T…\).*auth\.test/);
    expect(run.stderr).toContain('sources[0] (Bad_Id).id: expected lowercase letters, digits and dashes');
    expect(run.stderr).toContain('sources[0] (Bad_Id).clientSecretEnv: environment variable NOPE_SECRET is not set');
  });

  const source =
    'sources:\n  - id: pan-prod\n    vendor: paloalto\n    clientIdEnv: PAN_ID\n    clientSecretEnv: PAN_SECRET\n';
  const panEnv = { PAN_ID: 'id', PAN_SECRET: 'secret' };
  // Port 9 on loopback refuses at once, and without retries (each a backoff of up to seconds) the scan fails at once.
  const refusing =
    '    baseUrl: http://127.0.0.1:9/api\n    tokenUrl: http://127.0.0.1:9/token\n    http: { maxRetries: 0 }\n';

  it('should refuse routes and escalation that name Slack or Teams channels with no section for that surface', async () => {
    const path = join(cwd, 'routes-nowhere.yaml');
    writeFileSync(
      path,
      `routes:\n  - channels: { slack: [C0123ABCD], teams: ["19:abc@thread.tacv2"] }\nescalation:\n  leadChannels: { slack: [C0LEADS99] }\n${source}`,
    );
    const run = await runDlpBot(['config', 'check', '--config', path], { cwd, clock, env: panEnv });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path} has 3 problem(s):`);
    expect(run.stderr).toContain('routes[0].channels.slack: names slack channels but there is no chat.slack section');
    expect(run.stderr).toContain('routes[0].channels.teams: names teams channels but there is no chat.teams section');
    expect(run.stderr).toContain('escalation.leadChannels.slack: names slack channels but there is no chat.slack');
  });

  it('should warn, and exit 0, about channels on a switched-off surface and Teams with auth: none', async () => {
    const path = join(cwd, 'warnings.yaml');
    writeFileSync(
      path,
      `chat:\n  slack: { enabled: false }\n  teams: { auth: none }\nroutes:\n  - channels: { slack: [C0123ABCD], teams: ["19:abc@thread.tacv2"] }\n${source}`,
    );
    const run = await runDlpBot(['config', 'check', '--config', path], { cwd, clock, env: panEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${path} is valid, with 2 warning(s)`);
    expect(run.stdout).toContain(
      'warning: routes[0].channels.slack: chat.slack is switched off (enabled: false): these slack channels get nothing',
    );
    expect(run.stdout).toMatch(/warning: chat\.teams\.auth: Teams runs unauthenticated \(auth: none\)/);
  });

  it('should refuse Teams without an app id, and auth: none off loopback, by key path; serve does not start', async () => {
    const path = join(cwd, 'teams-open.yaml');
    writeFileSync(path, `chat:\n  teams: {}\n${source}`);
    const run = await runDlpBot(['config', 'check', '--config', path], { cwd, clock, env: panEnv });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path} has 1 problem(s):`);
    expect(run.stderr).toMatch(/chat\.teams\.appIdEnv: \$MICROSOFT_APP_ID is not set: .*chat\.teams\.auth: none/);
    const served = await runDlpBot(['serve', '--config', path], { cwd, clock, env: panEnv });
    expect(served.code).toBe(2);
    expect(served.stderr).toContain('chat.teams.appIdEnv: $MICROSOFT_APP_ID is not set');
    expect(served.stdout).not.toContain('Receiving chat requests');
    const anyHost = join(cwd, 'teams-any-host.yaml');
    writeFileSync(anyHost, `chat:\n  teams: { auth: none, host: 0.0.0.0 }\n${source}`);
    const open = await runDlpBot(['config', 'check', '--config', anyHost], { cwd, clock, env: panEnv });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain(
      'chat.teams.host: auth: none listens on loopback only (127.0.0.1, ::1 or localhost), not 0.0.0.0',
    );
    // With the app registration in the environment, Teams has nothing to warn or complain about.
    const teamsEnv = { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TENANT_ID: 'tenant' };
    const registered = await runDlpBot(['config', 'check', '--config', path], {
      cwd,
      clock,
      env: { ...panEnv, ...teamsEnv },
    });
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain(`${path} is valid`);
    expect(registered.stdout).not.toContain('chat.teams');
  });

  it('should say the same warnings when serve starts, so channels that get nothing are not a surprise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-serve-warn-'));
    // The scan fails, and serve goes on watching.
    writeFileSync(
      join(dir, 'dlp-bot.yaml'),
      `chat:\n  slack: { enabled: false }\nroutes:\n  - channels: { slack: [C0123ABCD] }\n${source}${refusing}`,
    );
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    try {
      const run = await runDlpBot(['serve'], {
        cwd: dir,
        clock,
        env: { ...panEnv, DLP_BOT_LOG_LEVEL: 'warn' },
        stop: stopped,
        onStdout: (all) => {
          if (all.includes('Watching 1 source(s)')) stop();
        },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        'Warning: routes[0].channels.slack: chat.slack is switched off (enabled: false): these slack channels get nothing',
      );
      const logged = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; path?: string });
      expect(logged).toContainEqual(
        expect.objectContaining({ path: 'routes[0].channels.slack', msg: expect.stringMatching(/^config warning: /) }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['', false],
    ['log: { level: info }\n', true],
  ])('should log info lines on a terminal only when the file sets that level (%j)', async (log, infoShown) => {
    const dir = mkdtempSync(join(tmpdir(), 'dlp-serve-level-'));
    // The scan fails with a warning either way.
    writeFileSync(join(dir, 'dlp-bot.yaml'), `${log}${source}${refusing}`);
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    try {
      const run = await runDlpBot(['serve'], {
        cwd: dir,
        clock,
        env: { ...panEnv, DLP_BOT_LOG_LEVEL: '' },
        tty: { columns: 120 },
        stop: stopped,
        onStdout: (all) => {
          if (all.includes('Watching 1 source(s)')) stop();
        },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('source scan failed');
      expect(run.stderr.includes('job started')).toBe(infoShown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should refuse a --config file that does not exist', async () => {
    const run = await runDlpBot(['config', 'check', '--config', 'nowhere.yaml'], { cwd, clock });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(file): file not found');
  });

  it('should let `simulate --help` work even when the config is broken', async () => {
    const run = await runDlpBot(['simulate', '--help', '--config', 'nowhere.yaml'], { cwd, clock });
    expect(run.code).toBe(0);
  });
});

describe('config.minimal.yaml', () => {
  const minimal = fileURLToPath(new URL('../../config.minimal.yaml', import.meta.url));
  // The simulator's throwaway credentials, as the file's header tells a newcomer to export them.
  const sandboxCredentials = { PAN_CLIENT_ID: 'sandbox-client', PAN_CLIENT_SECRET: 'sandbox-secret' };

  it('should pass config check as it stands once its variables are set: one source, the console only', async () => {
    const run = await runDlpBot(['config', 'check', '--config', minimal], { cwd, clock, env: sandboxCredentials });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${minimal} is valid`);
    expect(run.stdout).toMatch(/pan-prod\s+paloalto\s+yes/);
    expect(run.stdout).toMatch(/Chat surfaces\s+console: on\n/);
    const unset = await runDlpBot(['config', 'check', '--config', minimal], { cwd, clock });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('sources[0] (pan-prod).clientIdEnv: environment variable PAN_CLIENT_ID is not set');
  });

  it('should scan `dlp-bot simulate --vendor paloalto` with the credentials its header names', async () => {
    const simulator = await startPaloAltoSimulator({ seed: 42, incidents: 40, clock });
    const dir = mkdtempSync(join(tmpdir(), 'dlp-minimal-'));
    try {
      // The file names port 4010, as its header starts the simulator; this one listens wherever it could.
      const port = new URL(simulator.baseUrl).port;
      const text = readFileSync(minimal, 'utf8').replaceAll('127.0.0.1:4010', `127.0.0.1:${port}`);
      writeFileSync(join(dir, 'config.minimal.yaml'), text);
      const run = await runDlpBot(['scan', '--json', '--config', 'config.minimal.yaml'], {
        cwd: dir,
        clock,
        env: sandboxCredentials,
      });
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { sources: { source: string; ok: boolean; breached: number }[] };
      expect(summary.sources).toEqual([expect.objectContaining({ source: 'pan-prod', ok: true })]);
      expect(summary.sources[0]?.breached).toBeGreaterThan(0);
      expect(readdirSync(join(dir, 'data'))).toContain('dlp-bot.sqlite');
    } finally {
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a configured deployment with one vendor down', () => {
  const simulators: PaloAltoSimulator[] = [];
  afterEach(async () => {
    await Promise.all(simulators.splice(0).map((s) => s.close()));
  });

  it('should report the sources answering 500s and garbage, scan the healthy one, keep the store intact and exit 1', async () => {
    const healthy = await startPaloAltoSimulator({ seed: 42, incidents: 80, clock, clientSecret: 'healthy-secret' });
    const broken = await startPaloAltoSimulator({ seed: 7, incidents: 80, clock, faults: { errorRate: 1 } });
    const garbage = await startPaloAltoSimulator({ seed: 9, incidents: 80, clock, quirks: { invalidJson: true } });
    simulators.push(healthy, broken, garbage);
    const path = join(cwd, 'two-sources.yaml');
    writeFileSync(
      path,
      [
        'store: { path: ./two-sources.sqlite }',
        'sources:',
        ...[
          ['pan-good', healthy],
          ['pan-bad', broken],
          ['pan-junk', garbage],
        ].flatMap(([id, sim]) => {
          const s = sim as PaloAltoSimulator;
          return [
            `  - id: ${id}`,
            '    vendor: paloalto',
            `    baseUrl: ${s.baseUrl}`,
            `    tokenUrl: ${s.tokenUrl}`,
            `    tsgId: "${s.credentials.tsgId}"`,
            `    clientIdEnv: ${String(id).replace('-', '_').toUpperCase()}_ID`,
            `    clientSecretEnv: ${String(id).replace('-', '_').toUpperCase()}_SECRET`,
            '    http: { maxRetries: 1 }',
          ];
        }),
      ].join('\n'),
    );
    const env = {
      PAN_GOOD_ID: healthy.credentials.clientId,
      PAN_GOOD_SECRET: healthy.credentials.clientSecret,
      PAN_BAD_ID: broken.credentials.clientId,
      PAN_BAD_SECRET: broken.credentials.clientSecret,
      PAN_JUNK_ID: garbage.credentials.clientId,
      PAN_JUNK_SECRET: garbage.credentials.clientSecret,
    };
    const run = await runDlpBot(['scan', '--once', '--json', '--config', path], { cwd, clock, env });
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    const bySource = Object.fromEntries(summary.sources.map((s: { source: string }) => [s.source, s]));
    expect(bySource['pan-good']).toMatchObject({ ok: true, error: null });
    expect(bySource['pan-good'].breached).toBeGreaterThan(0);
    expect(bySource['pan-bad']).toMatchObject({ ok: false, fetched: 0 });
    expect(bySource['pan-bad'].error).toMatch(/^unavailable: .*503|^unavailable: .*500/);
    expect(bySource['pan-junk']).toMatchObject({ ok: false, fetched: 0 });
    expect(bySource['pan-junk'].error).toMatch(/^schema_mismatch: /);
    expect(summary.totals.failed).toBe(2);
    // Secrets never reach output, not even in error text.
    expect(run.stdout + run.stderr).not.toContain('healthy-secret');

    const verify = await runDlpBot(['audit', 'verify', '--config', path], { cwd, clock, env });
    expect(verify.code).toBe(0);
    const aging = await runDlpBot(['aging', '--json', '--source', 'pan-good', '--config', path], { cwd, clock, env });
    expect(JSON.parse(aging.stdout).length).toBeGreaterThan(0);
  });

  it('should name the source and the host it could not reach or that refused the login, never the secret', async () => {
    const refusing = await startPaloAltoSimulator({ seed: 3, incidents: 5, clock });
    simulators.push(refusing);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const path = join(cwd, 'down-and-refused.yaml');
    writeFileSync(
      path,
      [
        'store: { path: ./down-and-refused.sqlite }',
        'sources:',
        '  - id: enforce-dc2',
        '    vendor: symantec',
        `    baseUrl: http://127.0.0.1:${port}/ProtectManager/webservices/v2`,
        '    usernameEnv: SYM_USER',
        '    passwordEnv: SYM_PASSWORD',
        '    http: { maxRetries: 0 }',
        '  - id: pan-wrong',
        '    vendor: paloalto',
        `    baseUrl: ${refusing.baseUrl}`,
        `    tokenUrl: ${refusing.tokenUrl}`,
        `    tsgId: "${refusing.credentials.tsgId}"`,
        '    clientIdEnv: PAN_ID',
        '    clientSecretEnv: PAN_SECRET',
        '    http: { maxRetries: 0 }',
      ].join('\n'),
    );
    const env = {
      SYM_USER: 'analyst',
      SYM_PASSWORD: 'sym-password-value',
      PAN_ID: refusing.credentials.clientId,
      PAN_SECRET: 'wrong-secret-value',
    };
    const tokenHost = new URL(refusing.tokenUrl).host;
    const unreachable = new RegExp(
      `enforce-dc2 .*unavailable: GET \\w+ at 127\\.0\\.0\\.1:${port}: vendor unreachable`,
    );
    const refused = new RegExp(
      `pan-wrong .*auth: POST \\w+ at ${tokenHost.replaceAll('.', '\\.')}: vendor answered 401`,
    );
    const doctor = await runDlpBot(['doctor', '--config', path], { cwd, clock, env });
    expect(doctor.code).toBe(1);
    const scan = await runDlpBot(['scan', '--once', '--config', path], { cwd, clock, env });
    expect(scan.code).toBe(1);
    for (const output of [doctor.stdout, scan.stdout]) {
      expect(output).toMatch(unreachable);
      expect(output).toMatch(refused);
    }
    const everything = doctor.stdout + doctor.stderr + scan.stdout + scan.stderr;
    expect(everything).not.toContain('sym-password-value');
    expect(everything).not.toContain('wrong-secret-value');
  });
});
