import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { symphony } from '../../adapters/dlp/symphony/index.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { TEST_KEY_PEM } from '../support/symphony.js';

const BASE = { id: 'sym', vendor: 'symphony', podUrl: 'https://acme.symphony.com', username: 'dlp-bot' };
const KEY_ENV = 'SYM_KEY';

function configErrors(entry: Record<string, unknown>, key: string | null = TEST_KEY_PEM): string[] {
  const env = key === null ? {} : { [KEY_ENV]: key };
  const parsed = createConfigSchema([symphony.config], env).safeParse({
    sources: [{ ...BASE, privateKeyEnv: KEY_ENV, ...entry }],
  });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('Symphony adapter: configuration', () => {
  it('should accept a minimal entry with a PKCS#8 key and fill in the documented defaults', () => {
    const parsed = createConfigSchema([symphony.config], { [KEY_ENV]: TEST_KEY_PEM }).parse({
      sources: [{ ...BASE, privateKeyEnv: KEY_ENV }],
    });
    expect(parsed.sources[0]).toMatchObject({ kinds: ['message', 'stream', 'signal'], limit: 500, lookbackDays: 7 });
  });

  it.each([
    ['a pod URL with a path', { podUrl: 'https://acme.symphony.com/login' }, 'podUrl: expected the pod origin only'],
    ['an empty username', { username: ' ' }, 'username:'],
    ['a kind listed twice', { kinds: ['message', 'message'] }, 'kinds: list each kind once'],
    ['an unknown kind', { kinds: ['chat'] }, 'kinds.0:'],
    ['a page above 500', { limit: 501 }, 'limit:'],
  ])('should refuse %s, naming the key', (_, entry, expected) => {
    expect(configErrors(entry).join('\n')).toContain(expected);
  });

  it('should say the key variable is not set', () => {
    expect(configErrors({}, null)).toEqual([`sources.0.privateKeyEnv: environment variable ${KEY_ENV} is not set`]);
  });

  it.each([
    ['not PEM at all', 'hunter2-not-a-key', 'is not a single PEM private key block'],
    [
      'an EC key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'is a ec key, not RSA',
    ],
  ])('should refuse a private key that is %s, naming the variable but never the value', (_, key, why) => {
    const errors = configErrors({}, key);
    expect(errors).toEqual([
      `sources.0.privateKeyEnv: the private key in $${KEY_ENV} ${why}; expected the bot's RSA key as one PEM block`,
    ]);
    expect(errors.join('\n')).not.toMatch(/hunter2|MII/);
  });
});
