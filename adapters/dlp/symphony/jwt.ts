import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';

/** The BDK signs for 240 s; Symphony rejects an `exp` more than 5 minutes ahead (reference §3.2). */
export const JWT_LIFETIME_SEC = 240;

/** Exactly one PEM block, nothing before or after it (a pasted key with a stray line is a different key). */
const ONE_PEM_BLOCK =
  /^-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----\r?\n[A-Za-z0-9+/=\r\n:,\- ]+\r?\n-----END \1-----$/;

/**
 * Reads the bot's RSA private key from an environment variable's value: PEM, PKCS#8 or PKCS#1, with real line
 * breaks or the `\n` escapes .env files use. Errors name the variable, never its value.
 */
export function readPrivateKey(pem: string, envName: string): Result<KeyObject, AdapterError> {
  const text = pem.trim().replace(/\\n/g, '\n');
  const problem = (why: string) =>
    err(adapterError('auth', `the private key in $${envName} ${why}; expected the bot's RSA key as one PEM block`));
  if (!ONE_PEM_BLOCK.test(text)) return problem('is not a single PEM private key block');
  if (text.includes('ENCRYPTED')) return problem('is encrypted (passphrase-protected keys are not supported)');
  try {
    const key = createPrivateKey(text);
    return key.asymmetricKeyType === 'rsa' ? ok(key) : problem(`is a ${key.asymmetricKeyType} key, not RSA`);
  } catch {
    return problem('cannot be read');
  }
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The pubkey-authenticate JWT: subject = the bot's username, short expiry, RS512 (what the BDK sends). */
export function signAuthJwt(key: KeyObject, username: string, nowMs: number): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const unsigned = `${base64url({ alg: 'RS512', typ: 'JWT' })}.${base64url({ sub: username, iat: issuedAt, exp: issuedAt + JWT_LIFETIME_SEC })}`;
  const signature = createSign('RSA-SHA512').update(unsigned).sign(key).toString('base64url');
  return `${unsigned}.${signature}`;
}
