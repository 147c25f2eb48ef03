import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { parseConfigText } from '../../../src/config/load.js';
import { composition } from '../../../src/main.js';

const vendors = ADAPTERS.map((a) => a.config);
const surfaces = composition.surfaces({ write: () => true }).map((s) => s.config);
const env = { PAN_ID: 'client-id-value', PAN_SECRET: 'super-secret-value' };
const withTeams = (section: string) => `
sources:
  - { id: pan-prod, vendor: paloalto, clientIdEnv: PAN_ID, clientSecretEnv: PAN_SECRET }
chat:
  teams:
${section}`;
const parse = (text: string, extra: Record<string, string> = {}) =>
  parseConfigText(text, '/etc/dlp-bot.yaml', { ...env, ...extra }, vendors, surfaces);

describe('chat.teams', () => {
  it('should refuse to run without an app id unless auth: none says so, naming the key and the way out', () => {
    const result = parse(withTeams('    enabled: true\n'));
    if (result.kind !== 'invalid') throw new Error('expected Teams without an app id to be refused');
    expect(result.problems).toEqual([
      {
        path: 'chat.teams.appIdEnv',
        message: expect.stringMatching(/^\$MICROSOFT_APP_ID is not set: .*set chat\.teams\.auth: none/),
      },
    ]);
  });

  it('should default to port 3978, loopback and the Teams pace with auth: none, and warn that nothing is checked', () => {
    const result = parse(withTeams('    auth: none\n'));
    if (result.kind !== 'file') throw new Error('expected a valid config');
    expect(result.config.chat.teams).toMatchObject({ auth: 'none', port: 3978, postsPerSecond: 1.8, analysts: [] });
    expect(result.config.chat.teams?.host).toBeUndefined();
    expect(result.warnings).toEqual([
      { path: 'chat.teams.auth', message: expect.stringContaining('Teams runs unauthenticated (auth: none)') },
    ]);
  });

  it('should refuse auth: none on a host other than loopback, and with any credential or token issuer set', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(parse(withTeams(`    auth: none\n    host: "${host}"\n`)).kind, host).toBe('file');
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'bot.corp.example']) {
      const open = parse(withTeams(`    auth: none\n    host: "${host}"\n`));
      if (open.kind !== 'invalid') throw new Error(`expected auth: none on ${host} to be refused`);
      expect(open.problems).toEqual([
        { path: 'chat.teams.host', message: expect.stringContaining('auth: none listens on loopback only') },
      ]);
    }
    const credentials = parse(withTeams('    auth: none\n'), {
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value',
    });
    if (credentials.kind !== 'invalid') throw new Error('expected auth: none beside an app id to be refused');
    expect(credentials.problems).toEqual([
      {
        path: 'chat.teams.auth',
        message: expect.stringMatching(
          /^auth: none checks no token, yet \$MICROSOFT_APP_ID and \$MICROSOFT_APP_PASSWORD are set/,
        ),
      },
    ]);
    expect(JSON.stringify(credentials.problems)).not.toContain('pa55-w0rd-value');
  });

  it('should take service URLs on https, or on loopback, and only loopback ones with auth: none', () => {
    const app = { MICROSOFT_APP_ID: 'app-id', MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value', MICROSOFT_APP_TENANT_ID: 't' };
    const listed = parse(withTeams('    serviceUrls: ["https://smba.trafficmanager.net/emea/"]\n'), app);
    if (listed.kind !== 'file') throw new Error('expected a valid config');
    expect(listed.config.chat.teams?.serviceUrls).toEqual(['https://smba.trafficmanager.net/emea/']);
    const clear = parse(withTeams('    serviceUrls: ["http://smba.example.net/"]\n'), app);
    if (clear.kind !== 'invalid') throw new Error('expected a plain-http service URL to be refused');
    expect(clear.problems.map((p) => p.path)).toEqual(['chat.teams.serviceUrls[0]']);
    const remote = parse(withTeams('    auth: none\n    serviceUrls: ["https://smba.trafficmanager.net/"]\n'));
    if (remote.kind !== 'invalid') throw new Error('expected a remote service URL with auth: none to be refused');
    expect(remote.problems).toEqual([
      { path: 'chat.teams.serviceUrls[0]', message: expect.stringContaining('loopback service URLs only') },
    ]);
  });

  it('should take TEAMS_PORT and TEAMS_CHANNEL from the environment, checked like file values', () => {
    const ok = parse(withTeams('    auth: none\n'), { TEAMS_PORT: '4000', TEAMS_CHANNEL: '19:abc@thread.tacv2' });
    if (ok.kind !== 'file') throw new Error('expected a valid config');
    expect(ok.config.chat.teams).toMatchObject({ port: 4000, defaultChannel: '19:abc@thread.tacv2' });
    for (const port of ['abc', '99999']) {
      const badPort = parse(withTeams('    enabled: true\n'), { TEAMS_PORT: port });
      if (badPort.kind !== 'invalid') throw new Error(`expected TEAMS_PORT=${port} to be refused`);
      expect(badPort.problems).toEqual([
        { path: 'chat.teams.port', message: `expected a port number from 0 to 65535 ($TEAMS_PORT is "${port}")` },
      ]);
    }
    const bad = parse(withTeams('    auth: none\n'), { TEAMS_CHANNEL: 'DLP alerts' });
    if (bad.kind !== 'invalid') throw new Error('expected problems');
    expect(bad.problems).toContainEqual({
      path: 'chat.teams.defaultChannel',
      message: expect.stringContaining('Teams conversation id'),
    });
  });

  it('should need the client secret and the tenant once an app id is set, and keep the secrets out of the config', () => {
    const missing = parse(withTeams('    enabled: true\n'), { MICROSOFT_APP_ID: 'app-id' });
    if (missing.kind !== 'invalid') throw new Error('expected problems');
    expect(missing.problems.map((p) => p.path)).toEqual(['chat.teams.appPasswordEnv', 'chat.teams.tenantIdEnv']);
    const full = parse(withTeams('    enabled: true\n'), {
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value',
      MICROSOFT_APP_TENANT_ID: 'tenant-id',
    });
    if (full.kind !== 'file') throw new Error('expected a valid config');
    expect(JSON.stringify(full.config)).not.toContain('pa55-w0rd-value');
  });

  it('should name the variables this config uses when they are unset, not the defaults', () => {
    const renamed = parse(
      withTeams('    appIdEnv: BOT_ID\n    appPasswordEnv: BOT_SECRET\n    tenantIdEnv: BOT_TENANT\n'),
      { BOT_ID: 'app-id', MICROSOFT_APP_PASSWORD: 'ignored', MICROSOFT_APP_TENANT_ID: 'ignored' },
    );
    if (renamed.kind !== 'invalid') throw new Error('expected problems');
    expect(renamed.problems).toEqual([
      { path: 'chat.teams.appPasswordEnv', message: expect.stringContaining('set BOT_SECRET (or name') },
      { path: 'chat.teams.tenantIdEnv', message: expect.stringContaining('set BOT_TENANT (or name') },
    ]);
    expect(JSON.stringify(renamed.problems)).not.toContain('MICROSOFT_APP');
    const noId = parse(withTeams('    appIdEnv: BOT_ID\n'), { MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value' });
    if (noId.kind !== 'invalid') throw new Error('expected problems');
    expect(noId.problems[0]?.message).toContain('no app id: set BOT_ID (or name');
  });

  it('should refuse a client secret or tenant without the app id rather than run unauthenticated', () => {
    const half = parse(withTeams('    enabled: true\n'), {
      MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value',
      MICROSOFT_APP_TENANT_ID: 'tenant-id',
    });
    if (half.kind !== 'invalid') throw new Error('expected problems');
    expect(half.problems).toEqual([
      {
        path: 'chat.teams.appIdEnv',
        message: expect.stringMatching(/^\$MICROSOFT_APP_PASSWORD and \$MICROSOFT_APP_TENANT_ID set but no app id/),
      },
    ]);
    expect(JSON.stringify(half.problems)).not.toContain('pa55-w0rd-value');
    const renamed = parse(withTeams('    tenantIdEnv: AZ_TENANT\n'), { AZ_TENANT: 'tenant-id' });
    if (renamed.kind !== 'invalid') throw new Error('expected problems');
    expect(renamed.problems[0]?.message).toContain('$AZ_TENANT set but no app id');
  });

  it('should accept Teams conversation ids in routes and refuse a bad analyst email', () => {
    const routed = parse(`${withTeams('    auth: none\n')}routes:\n  - channels: { teams: ["19:abc@thread.tacv2"] }\n`);
    expect(routed.kind).toBe('file');
    const bad = parse(withTeams('    auth: none\n    analysts: [{ display: Ana, email: not-an-email }]\n'));
    if (bad.kind !== 'invalid') throw new Error('expected problems');
    expect(bad.problems.map((p) => p.path)).toEqual(['chat.teams.analysts[0].email']);
  });
  it('should take a loopback token issuer for tests, both ends of it, and refuse any other host or one without an app id', () => {
    const app = { MICROSOFT_APP_ID: 'app-id', MICROSOFT_APP_PASSWORD: 'pa55-w0rd-value', MICROSOFT_APP_TENANT_ID: 't' };
    const keys = 'http://127.0.0.1:4100/v1/.well-known/openidconfiguration';
    const token = 'http://127.0.0.1:4100/t/oauth2/v2.0/token';
    const ok = parse(withTeams('    enabled: true\n'), {
      ...app,
      TEAMS_OPENID_METADATA_URL: keys,
      TEAMS_TOKEN_URL: token,
    });
    if (ok.kind !== 'file') throw new Error('expected a valid config');
    expect(ok.config.chat.teams).toMatchObject({ openIdMetadataUrl: keys, tokenUrl: token });
    const remote = parse(
      withTeams(
        `    openIdMetadataUrl: https://keys.example.com/openid\n    tokenUrl: https://login.example.com/token\n`,
      ),
      app,
    );
    if (remote.kind !== 'invalid') throw new Error('expected a remote issuer to be refused');
    expect(remote.problems).toEqual([
      { path: 'chat.teams.openIdMetadataUrl', message: expect.stringContaining('must be a loopback URL') },
      { path: 'chat.teams.tokenUrl', message: expect.stringContaining('must be a loopback URL') },
    ]);
    const half = parse(withTeams('    enabled: true\n'), { ...app, TEAMS_OPENID_METADATA_URL: keys });
    if (half.kind !== 'invalid') throw new Error('expected one end of the issuer alone to be refused');
    expect(half.problems).toEqual([
      { path: 'chat.teams.tokenUrl', message: expect.stringContaining('set tokenUrl to the same issuer') },
    ]);
    const noApp = parse(withTeams('    enabled: true\n'), { TEAMS_OPENID_METADATA_URL: keys, TEAMS_TOKEN_URL: token });
    if (noApp.kind !== 'invalid') throw new Error('expected an issuer without an app id to be refused');
    expect(noApp.problems).toEqual([
      {
        path: 'chat.teams.appIdEnv',
        message: expect.stringContaining('openIdMetadataUrl and tokenUrl set but no app id'),
      },
    ]);
  });
});
