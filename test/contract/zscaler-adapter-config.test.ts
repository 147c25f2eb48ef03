import { describe, expect, it } from 'vitest';
import { capabilitiesFor, zscaler } from '../../adapters/dlp/zscaler/index.js';
import { createConfigSchema } from '../../src/config/schema.js';

const ENV = { ZS_ID: 'key-id', ZS_SECRET: 'key-secret-value' };
const BASE = { id: 'zwa', vendor: 'zscaler', keyIdEnv: 'ZS_ID', keySecretEnv: 'ZS_SECRET' };

function configErrors(entry: Record<string, unknown>, env: Record<string, string> = ENV): string[] {
  const parsed = createConfigSchema([zscaler.config], env).safeParse({ sources: [{ ...BASE, ...entry }] });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('Zscaler adapter: configuration', () => {
  it('should fill in the published limits and the documented defaults, keeping the secret redacted', () => {
    const parsed = createConfigSchema([zscaler.config], ENV).parse({ sources: [BASE] });
    const [source] = parsed.sources;
    expect(source).toMatchObject({
      baseUrl: 'https://api.us1.zsworkflow.net',
      pageSize: 100,
      lookbackDays: 30,
      filters: [],
      rateLimits: { medium: { perMinute: 20, perHour: 400 }, light: { perMinute: 30, perHour: 1_000 } },
    });
    expect(JSON.stringify(source)).not.toContain('key-secret-value');
  });

  it('should accept lower limits and keep the other default of a half-given class', () => {
    const parsed = createConfigSchema([zscaler.config], ENV).parse({
      sources: [{ ...BASE, rateLimits: { medium: { perMinute: 10 } } }],
    });
    expect(parsed.sources[0]).toMatchObject({ rateLimits: { medium: { perMinute: 10, perHour: 400 } } });
  });

  it.each([
    ['a page above 100', { pageSize: 101 }, 'pageSize:'],
    ['an unknown filter name', { filters: [{ name: 'sev', value: ['HIGH'] }] }, 'filters.0.name:'],
    ['a filter with no values', { filters: [{ name: 'severity', value: [] }] }, 'filters.0.value:'],
    ['a console URL without {id}', { consoleUrl: 'https://admin.example.test/' }, 'consoleUrl:'],
    [
      'a limit above the published one',
      { rateLimits: { medium: { perMinute: 50 } } },
      'rateLimits.medium.perMinute: at most 20, the limit Zscaler publishes; it may only be lowered',
    ],
    [
      'client-wide pacing, which ZWA requests would ignore',
      { http: { requestsPerMinute: 10 } },
      'http.requestsPerMinute: ZWA is paced per endpoint class: set rateLimits.medium/light instead',
    ],
  ])('should refuse %s, naming the key', (_, entry, expected) => {
    expect(configErrors(entry).join('\n')).toContain(expected);
  });

  it('should say which key variable is not set', () => {
    expect(configErrors({}, { ZS_ID: 'key-id' })).toEqual([
      'sources.0.keySecretEnv: environment variable ZS_SECRET is not set',
    ]);
  });

  it('should offer assign only with an assignee label', () => {
    expect(capabilitiesFor({}).assign).toBe(false);
    expect(capabilitiesFor({ assigneeLabel: 'Assignee' }).assign).toBe(true);
  });
});
