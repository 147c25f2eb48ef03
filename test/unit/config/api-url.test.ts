import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { parseConfigText } from '../../../src/config/load.js';
import { composition } from '../../../src/main.js';

const vendors = ADAPTERS.map((a) => a.config);
const surfaces = composition.surfaces({ write: () => true }).map((s) => s.config);
const env = { PAN_ID: 'id', PAN_SECRET: 'secret', SYM_USER: 'u', SYM_PASSWORD: 'p' };

const withUrls = (paloaltoBase: string, symantecBase: string, graphUrl = 'https://graph.microsoft.com/v1.0') => `
chat:
  teams: { auth: none, graphUrl: "${graphUrl}" }
sources:
  - id: pan-prod
    vendor: paloalto
    baseUrl: "${paloaltoBase}"
    clientIdEnv: PAN_ID
    clientSecretEnv: PAN_SECRET
  - id: enforce
    vendor: symantec
    baseUrl: "${symantecBase}"
    usernameEnv: SYM_USER
    passwordEnv: SYM_PASSWORD
`;

const problems = (text: string) => {
  const result = parseConfigText(text, '/etc/dlp-bot.yaml', env, vendors, surfaces);
  return result.kind === 'invalid' ? result.problems : [];
};

describe('API URLs over plain http', () => {
  it('should refuse http to a host that is not loopback, naming the key path and saying to use https', () => {
    const found = problems(
      withUrls(
        'http://api.dlp.example/v4',
        'http://10.0.0.7:8443/ProtectManager/webservices/v2',
        'http://graph.example',
      ),
    );
    expect(found.map((p) => p.path).sort()).toEqual([
      'chat.teams.graphUrl',
      'sources[0] (pan-prod).baseUrl',
      'sources[1] (enforce).baseUrl',
    ]);
    for (const problem of found) expect(problem.message).toMatch(/clear text: use https:\/\//);
  });

  it('should refuse a loopback look-alike host name', () => {
    const found = problems(
      withUrls('http://127.0.0.1.attacker.example/v4', 'http://localhost.example/ProtectManager/webservices/v2'),
    );
    expect(found.map((p) => p.path)).toEqual(['sources[0] (pan-prod).baseUrl', 'sources[1] (enforce).baseUrl']);
  });

  it('should accept http to loopback (simulators, fakes) and https to anywhere', () => {
    expect(
      problems(
        withUrls(
          'http://127.0.0.1:4010/v4',
          'http://localhost:8080/ProtectManager/webservices/v2',
          'http://[::1]:9000',
        ),
      ),
    ).toEqual([]);
    expect(
      problems(withUrls('http://127.8.9.10/v4', 'https://enforce.corp.example/ProtectManager/webservices/v2')),
    ).toEqual([]);
  });
});
