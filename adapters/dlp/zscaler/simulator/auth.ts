import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import { parseBearer } from '../../simulator-kit/respond.js';

export interface ZwaAuthSettings {
  keyId: string;
  keySecret: string;
  tokenTtlSec: number;
  clock: Clock;
}

export type TokenAnswer = { status: number; body: Record<string, unknown> };

/**
 * `POST /v1/auth/api-key/token` with `{key_id, key_secret}` → 201 `{token, token_type, expires_in}` (§1.2).
 * A wrong or disabled key is 401 `Invalid input`; a malformed body is 500, as the help page shows. Tokens
 * expire after `tokenTtlSec`; an expired or unknown one is 401, and there is no refresh endpoint.
 */
export interface ZwaAuth {
  issue(body: unknown): TokenAnswer;
  valid(req: IncomingMessage): boolean;
  issuedTokens(): number;
  /** Forgets every issued token, as a key rotation in the portal would (tests of re-authentication). */
  revokeAll(): void;
}

const MAX_LIVE_TOKENS = 10_000;

export function createZwaAuth(settings: ZwaAuthSettings): ZwaAuth {
  const tokens = new Map<string, number>();
  let issued = 0;
  const now = () => settings.clock.now().getTime();
  return {
    issue(body) {
      const { key_id: id, key_secret: secret } = (typeof body === 'object' && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      if (typeof id !== 'string' || typeof secret !== 'string') {
        return { status: 500, body: { internalMessage: 'Failed to generate access token' } };
      }
      if (id !== settings.keyId || secret !== settings.keySecret) {
        return { status: 401, body: { internalMessage: 'Invalid input' } };
      }
      const at = now();
      for (const [token, expiresAt] of tokens) if (expiresAt <= at) tokens.delete(token);
      if (tokens.size >= MAX_LIVE_TOKENS) tokens.delete(tokens.keys().next().value as string);
      const token = `zwa-sim.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, at + settings.tokenTtlSec * 1000);
      issued += 1;
      return { status: 201, body: { token, token_type: 'Bearer', expires_in: settings.tokenTtlSec } };
    },
    valid(req) {
      const token = parseBearer(req.headers.authorization);
      const expiresAt = token ? tokens.get(token) : undefined;
      return expiresAt !== undefined && expiresAt > now();
    },
    issuedTokens: () => issued,
    revokeAll: () => tokens.clear(),
  };
}
