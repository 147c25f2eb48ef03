import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import { checkOrigins, expectedOrigins, recordOrigins, requireOrigins } from '../../../src/app/origins.js';
import { createConfigSchema, type SourceConfig } from '../../../src/config/schema.js';
import { openStore, type Store } from '../../../src/store/index.js';

const AT = new Date('2026-11-23T10:00:00Z');
/** A Palo Alto source entry as the real config schema parses it. */
const pan = (overrides: Record<string, unknown> = {}): SourceConfig => {
  const schema = createConfigSchema(
    ADAPTERS.map((a) => a.config),
    { PAN_ID: 'id', PAN_SECRET: 'secret' },
  );
  const entry = {
    id: 'pan-prod',
    vendor: 'paloalto',
    baseUrl: 'https://api.dlp.paloaltonetworks.com/v4',
    tsgId: '1234567890',
    clientIdEnv: 'PAN_ID',
    clientSecretEnv: 'PAN_SECRET',
    ...overrides,
  };
  const source = schema.parse({ sources: [entry] }).sources[0];
  if (!source) throw new Error('no source parsed');
  return source;
};

let store: Store;
afterEach(() => store?.close());

describe('source origins', () => {
  it('should describe an endpoint by its URL and tenant, whatever the case of the host or a trailing slash', () => {
    const [origin] = expectedOrigins([pan({ baseUrl: 'https://API.dlp.paloaltonetworks.com/v4/' })], ADAPTERS, 'file');
    expect(origin?.endpoint).toBe('https://api.dlp.paloaltonetworks.com/v4 (tsg 1234567890)');
    const [plain] = expectedOrigins([pan()], ADAPTERS, 'file');
    expect(plain?.fingerprint).toBe(origin?.fingerprint);
    const [otherTenant] = expectedOrigins([pan({ tsgId: '999' })], ADAPTERS, 'file');
    expect(otherTenant?.fingerprint).not.toBe(plain?.fingerprint);
  });

  it('should treat every sandbox run as one origin, whatever port its simulators got', () => {
    const one = expectedOrigins([pan({ baseUrl: 'http://127.0.0.1:4001/v4' })], ADAPTERS, 'sandbox');
    const two = expectedOrigins([pan({ baseUrl: 'http://127.0.0.1:4999/v4' })], ADAPTERS, 'sandbox');
    expect(one).toEqual(two);
  });

  it('should find a source moved off the sandbox once it holds data, and name both endpoints', () => {
    store = openStore(':memory:');
    recordOrigins(store, expectedOrigins([pan()], ADAPTERS, 'sandbox'), AT);
    const real = expectedOrigins([pan()], ADAPTERS, 'file');
    // Nothing stored yet: the new endpoint is simply recorded.
    expect(checkOrigins(store, real)).toEqual({ moved: [], toRecord: real, orphans: [] });
    store.scanState.save('pan-prod', {
      watermark: AT,
      lastFullPassAt: AT,
      scansSinceFullPass: 0,
      lastScanAt: AT,
      lastOutcome: 'ok',
      lastError: null,
    });
    expect(checkOrigins(store, real).moved).toEqual([
      {
        source: 'pan-prod',
        was: 'the built-in sandbox simulator',
        now: 'https://api.dlp.paloaltonetworks.com/v4 (tsg 1234567890)',
      },
    ]);
    expect(() => requireOrigins(store, real, './data/dlp-bot.sqlite', AT)).toThrow(/dlp-bot store forget pan-prod/);
    // Refusing records nothing: the old origin stays until the source is forgotten.
    expect(store.origins.get('pan-prod')?.fingerprint).toBe('sandbox');
  });

  it('should name the stored sources the config does not', () => {
    store = openStore(':memory:');
    recordOrigins(store, expectedOrigins([pan(), pan({ id: 'old' })], ADAPTERS, 'file'), AT);
    expect(checkOrigins(store, expectedOrigins([pan()], ADAPTERS, 'file')).orphans).toEqual(['old']);
  });
});
