import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import { parseBasicAuth, parseBearer } from '../../simulator-kit/respond.js';

export interface AuthSettings {
  username: string;
  password: string;
  /** When set, token requests must carry it as `bps-tenant-id` (users in several tenants). '' = not checked. */
  tenantId: string;
  tokenTtlSec: number;
  clock: Clock;
}

export type AuthCheck = { ok: true; via: 'basic' | 'bearer' | 'x-access-token' } | { ok: false; message: string };
export type TokenAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; message: string };

/**
 * Basic auth on every call (reference §2.1, what every client found uses), and the token option: an IAM token
 * from `POST /v1/token` (Basic + optional `bps-tenant-id`), optionally exchanged at the neo auth service. The
 * docs disagree on the header that carries a token, so both `Authorization: Bearer` and `x-access-token` work.
 */
export interface SkyhighAuth {
  check(req: IncomingMessage): AuthCheck;
  /** `POST /shnapi/rest/external/api/v1/token?grant_type=password&token_type=iam`. */
  issueIamToken(req: IncomingMessage, url: URL): TokenAnswer;
  /** `POST /neo/neo-auth-service/oauth/token?grant_type=iam_token&skip_audit=true` with `x-iam-token`. */
  exchangeIamToken(req: IncomingMessage, url: URL): TokenAnswer;
  issuedTokens(): number;
}

const MAX_LIVE_TOKENS = 10_000;

export function createSkyhighAuth(settings: AuthSettings): SkyhighAuth {
  const tokens = new Map<string, { expiresAt: number; kind: 'iam' | 'neo' }>();
  let issued = 0;
  const now = () => settings.clock.now().getTime();

  const issue = (kind: 'iam' | 'neo'): string => {
    const at = now();
    for (const [token, entry] of tokens) if (entry.expiresAt <= at) tokens.delete(token);
    if (tokens.size >= MAX_LIVE_TOKENS) tokens.delete(tokens.keys().next().value as string);
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { expiresAt: at + settings.tokenTtlSec * 1000, kind });
    issued += 1;
    return token;
  };

  const live = (token: string | null | undefined, kind?: 'iam') => {
    const entry = token ? tokens.get(token) : undefined;
    return entry !== undefined && entry.expiresAt > now() && (kind === undefined || entry.kind === kind);
  };

  const basicOk = (header: string | undefined) => {
    const credentials = parseBasicAuth(header);
    return credentials?.user === settings.username && credentials.password === settings.password;
  };

  return {
    check(req) {
      const header = req.headers.authorization;
      if (/^Basic\s/i.test(header ?? '')) {
        return basicOk(header) ? { ok: true, via: 'basic' } : { ok: false, message: 'Not authorized' };
      }
      const bearer = parseBearer(header);
      if (bearer)
        return live(bearer) ? { ok: true, via: 'bearer' } : { ok: false, message: 'Token expired or unknown' };
      const access = req.headers['x-access-token'];
      if (typeof access === 'string') {
        return live(access) ? { ok: true, via: 'x-access-token' } : { ok: false, message: 'Token expired or unknown' };
      }
      return { ok: false, message: 'Authentication required' };
    },
    issueIamToken(req, url) {
      if (!basicOk(req.headers.authorization)) return { ok: false, status: 401, message: 'Not authorized' };
      if (url.searchParams.get('grant_type') !== 'password' || url.searchParams.get('token_type') !== 'iam') {
        return { ok: false, status: 400, message: 'expected grant_type=password&token_type=iam' };
      }
      if (settings.tenantId && req.headers['bps-tenant-id'] !== settings.tenantId) {
        return { ok: false, status: 401, message: 'bps-tenant-id does not name a tenant of this user' };
      }
      // The documented answer has no lifetime; clients have to know tokens last about 10-15 minutes.
      return { ok: true, body: { access_token: issue('iam'), token_type: 'bearer' } };
    },
    exchangeIamToken(req, url) {
      if (url.searchParams.get('grant_type') !== 'iam_token') {
        return { ok: false, status: 400, message: 'expected grant_type=iam_token' };
      }
      const iam = req.headers['x-iam-token'];
      if (!live(typeof iam === 'string' ? iam : null, 'iam')) {
        return { ok: false, status: 401, message: 'x-iam-token expired or unknown' };
      }
      return {
        ok: true,
        body: {
          access_token: issue('neo'),
          token_type: 'bearer',
          refresh_token: randomBytes(16).toString('base64url'),
          expires_in: Math.max(1, settings.tokenTtlSec - 1),
          scope: 'shnapi',
        },
      };
    },
    issuedTokens: () => issued,
  };
}
