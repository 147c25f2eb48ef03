import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { formatKeyPath, parseConfigText } from '../../../src/config/load.js';
import { composition } from '../../../src/main.js';

const vendors = ADAPTERS.map((a) => a.config);
const surfaces = composition.surfaces({ write: () => true }).map((s) => s.config);
const env = { PAN_ID: 'client-id-value', PAN_SECRET: 'super-secret-value' };

const source = `
sources:
  - id: pan-prod
    vendor: paloalto
    clientIdEnv: PAN_ID
    clientSecretEnv: PAN_SECRET
`;

function problems(text: string) {
  const result = parseConfigText(text, '/etc/dlp-bot.yaml', env, vendors, surfaces);
  if (result.kind !== 'invalid') throw new Error(`expected problems in:\n${text}`);
  return result.problems;
}

describe('config problems name what a person wrote', () => {
  it('should name each source by its id and each named route by its name, beside the index', () => {
    const found = problems(`${source}  - id: symphony-prod
    vendor: symphony
    podUrl: https://acme.symphony.com
    username: bot
    privateKeyEnv: SYMPHONY_UNSET_KEY
routes:
  - name: soc
    channels: { console: [terminal] }
  - channels: { console: [] }
  - name: pci
    severities: [urgent]
    channels: { console: [terminal] }
`);
    expect(found).toEqual([
      { path: 'routes[1].channels.console', message: expect.stringContaining('expected array to have >=1 items') },
      { path: 'routes[2] (pci).severities[0]', message: expect.stringContaining('expected one of') },
      {
        path: 'sources[1] (symphony-prod).privateKeyEnv',
        message: 'environment variable SYMPHONY_UNSET_KEY is not set',
      },
    ]);
  });

  it('should leave out an id that is not a plain word, rather than echo it', () => {
    const found = problems('sources:\n  - id: "evil\\u001b[2Jid"\n    vendor: paloalto\n');
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['sources[0].id']));
    expect(found.map((p) => p.path).join('\n')).not.toContain('evil');
  });

  it.each([
    ['scan:\n  schedul: "*/5 * * * *"\n', 'scan', 'unknown key "schedul"; did you mean "schedule"?'],
    ['chat:\n  slak: {}\n', 'chat', 'unknown key "slak"; did you mean "slack"?'],
    ['sla:\n  dueSonAt: 0.5\n', 'sla', 'unknown key "dueSonAt"; did you mean "dueSoonAt"?'],
    [
      'routes:\n  - name: soc\n    severites: [high]\n    channels: { console: [terminal] }\n',
      'routes[0] (soc)',
      'unknown key "severites"; did you mean "severities"?',
    ],
    ['sourcse: []\n', '(top level)', 'unknown key "sourcse"; did you mean "sources"?'],
  ])('should suggest the key a typo meant (%j)', (section, path, message) => {
    expect(problems(`${source}${section}`)).toEqual([{ path, message }]);
  });

  it("should suggest within the source's own vendor and inside nested sections", () => {
    const found = problems(`${source}    pagesize: 100\n    http: { maxRetrys: 2 }\n`);
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'sources[0] (pan-prod)', message: 'unknown key "pagesize"; did you mean "pageSize"?' },
        { path: 'sources[0] (pan-prod).http', message: 'unknown key "maxRetrys"; did you mean "maxRetries"?' },
      ]),
    );
  });

  it('should list the keys that fit when nothing is close, one problem per unknown key', () => {
    const found = problems(`${source}digest:\n  colour: red\n  when: "09:00"\n`);
    expect(found).toEqual([
      { path: 'digest', message: expect.stringMatching(/^unknown key "colour" \(expected one of: enabled, time/) },
      { path: 'digest', message: expect.stringMatching(/^unknown key "when" \(expected one of: /) },
    ]);
  });
});

describe('a route without channels', () => {
  const forms =
    'the channels this route posts to, per chat surface, e.g. channels: { console: [terminal] }, { slack: [C0123ABCD] } or { teams: ["19:…@thread.tacv2"] }';

  it.each([
    [
      'no channels key',
      'routes:\n  - name: soc\n    severities: [high]\n',
      'routes[0] (soc).channels',
      `required: ${forms}`,
    ],
    ['an empty channels map', 'routes:\n  - channels: {}\n', 'routes[0].channels', `required: ${forms}`],
    ['a list instead of a map', 'routes:\n  - channels: [C0123ABCD]\n', 'routes[0].channels', `expected ${forms}`],
  ])('should show the forms of every registered surface for %s', (_case, routes, path, message) => {
    expect(problems(`${source}${routes}`)).toEqual([{ path, message }]);
  });

  it('should accept a console route, which prints on the terminal', () => {
    const result = parseConfigText(
      `${source}routes:\n  - severities: [high]\n    channels: { console: [terminal] }\n`,
      '/etc/dlp-bot.yaml',
      env,
      vendors,
      surfaces,
    );
    expect(result.kind === 'file' ? result.config.routes[0]?.channels : result).toEqual({ console: ['terminal'] });
  });
});

describe('formatKeyPath', () => {
  it('should name the entry from the parsed file when it has one, and print the bare path without it', () => {
    const raw = { sources: [{ id: 'pan-prod' }, { id: 'symphony-prod' }], routes: [{ name: 'pci' }, {}] };
    expect(formatKeyPath(['sources', 1, 'privateKeyEnv'], raw)).toBe('sources[1] (symphony-prod).privateKeyEnv');
    expect(formatKeyPath(['routes', 0, 'channels'], raw)).toBe('routes[0] (pci).channels');
    expect(formatKeyPath(['routes', 1, 'channels'], raw)).toBe('routes[1].channels');
    expect(formatKeyPath(['sources', 1, 'privateKeyEnv'])).toBe('sources[1].privateKeyEnv');
  });
});
