import { createVerify, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';

export interface AuthSettings {
  /** The service account's username: the JWT's `sub`. */
  username: string;
  /** Lifetime of session and key manager tokens (a pod setting, 1 h to 2 weeks in real pods). */
  tokenTtlSec: number;
  clock: Clock;
  /** The public key registered for the account; default: this process's throwaway RSA pair (`privateKeyPem`). */
  publicKey?: KeyObject;
}

export type TokenKind = 'session' | 'keyManager';
export type AuthAnswer = { ok: true; token: string } | { ok: false; status: 400 | 401; message: string };

/** Symphony rejects a JWT whose `exp` is more than 5 minutes ahead (reference §3.2). */
const MAX_JWT_AHEAD_MS = 5 * 60_000;
const MAX_LIVE_TOKENS = 10_000;

/**
 * RSA pubkey authentication as the pod (`/login/pubkey/authenticate`) and key manager (`/relay/pubkey/authenticate`)
 * do it: the body's JWT must be RS512-signed by the account's key, name the account, and expire within 5 minutes.
 * The agent then wants a live `sessionToken` header and, when sent, a live `keyManagerToken`; anything else is 401,
 * which is also what an expired token gets (there is no refresh).
 */
export interface SymphonyAuth {
  /** PEM of the generated private key; empty when a public key was given. */
  privateKeyPem: string;
  authenticate(kind: TokenKind, body: unknown): AuthAnswer;
  check(req: IncomingMessage): { ok: true } | { ok: false; message: string };
  /** Forgets every issued token, as a pod restart or an admin's "log out all sessions" would. */
  revokeAll(): void;
  issued(kind: TokenKind): number;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

let throwawayPair: { publicKey: KeyObject; privateKeyPem: string } | undefined;
/** Made once per process: a 2048-bit RSA pair costs 0.1–1 s of CPU, and every sandbox start starts this simulator. */
function throwawayKeyPair() {
  if (!throwawayPair) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    throwawayPair = {
      publicKey: pair.publicKey,
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }
  return throwawayPair;
}

export function createSymphonyAuth(settings: AuthSettings): SymphonyAuth {
  const { publicKey: verifyKey, privateKeyPem } = settings.publicKey
    ? { publicKey: settings.publicKey, privateKeyPem: '' }
    : throwawayKeyPair();
  const tokens = new Map<string, { kind: TokenKind; expiresAt: number }>();
  const issuedCount: Record<TokenKind, number> = { session: 0, keyManager: 0 };
  const now = () => settings.clock.now().getTime();

  const verifyJwt = (jwt: unknown): string | null => {
    if (typeof jwt !== 'string') return 'body must be {"token": "<JWT>"}';
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'token is not a JWT';
    const [head = '', claims = '', signature = ''] = parts;
    if (decodeJson(head)?.alg !== 'RS512') return 'JWT must be signed with RS512';
    const valid = createVerify('RSA-SHA512')
      .update(`${head}.${claims}`)
      .verify(verifyKey, Buffer.from(signature, 'base64url'));
    if (!valid) return 'JWT signature does not match the public key of this account';
    const payload = decodeJson(claims);
    if (payload?.sub !== settings.username) return 'JWT subject is not a known service account';
    const exp = payload.exp;
    if (typeof exp !== 'number') return 'JWT has no exp';
    if (exp * 1000 <= now()) return 'JWT has expired';
    if (exp * 1000 > now() + MAX_JWT_AHEAD_MS) return 'JWT exp is more than 5 minutes ahead';
    return null;
  };

  const live = (value: string | string[] | undefined, kind: TokenKind) => {
    const entry = typeof value === 'string' ? tokens.get(value) : undefined;
    return entry !== undefined && entry.kind === kind && entry.expiresAt > now();
  };

  return {
    privateKeyPem,
    authenticate(kind, body) {
      const jwt = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
      if (jwt === undefined) return { ok: false, status: 400, message: 'body must be {"token": "<JWT>"}' };
      const problem = verifyJwt(jwt);
      if (problem) return { ok: false, status: 401, message: `Invalid JWT: ${problem}` };
      const at = now();
      for (const [token, entry] of tokens) if (entry.expiresAt <= at) tokens.delete(token);
      if (tokens.size >= MAX_LIVE_TOKENS) tokens.delete(tokens.keys().next().value as string);
      const token = randomBytes(32).toString('hex');
      tokens.set(token, { kind, expiresAt: at + settings.tokenTtlSec * 1000 });
      issuedCount[kind] += 1;
      return { ok: true, token };
    },
    check(req) {
      if (!live(req.headers.sessiontoken, 'session')) return { ok: false, message: 'Invalid session' };
      const km = req.headers.keymanagertoken;
      if (km !== undefined && !live(km, 'keyManager')) return { ok: false, message: 'Invalid key manager token' };
      return { ok: true };
    },
    revokeAll: () => tokens.clear(),
    issued: (kind) => issuedCount[kind],
  };
}
