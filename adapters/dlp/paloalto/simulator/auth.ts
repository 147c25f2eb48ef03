import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import { parseBasicAuth, parseBearer, readBody, sendJson } from '../../simulator-kit/respond.js';

export interface AuthSettings {
  clientId: string;
  clientSecret: string;
  /** Empty string: the scope is optional (the legacy, scope-less XSOAR form). */
  tsgId: string;
  tokenTtlSec: number;
  clock: Clock;
}

export type BearerCheck = { ok: true } | { ok: false; error: string; message: string };

export interface TokenService {
  /** `POST /oauth2/access_token`: SASE client credentials with HTTP Basic and a form body. */
  handleTokenRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  checkBearer(authorization: string | undefined): BearerCheck;
}

const MAX_LIVE_TOKENS = 10_000;

export function createTokenService(settings: AuthSettings): TokenService {
  const tokens = new Map<string, number>();
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
    sendJson(res, status, { error, error_description: description }, { 'cache-control': 'no-store' });

  const issue = (): string => {
    const now = settings.clock.now().getTime();
    for (const [token, expiresAt] of tokens) if (expiresAt <= now) tokens.delete(token);
    if (tokens.size >= MAX_LIVE_TOKENS) tokens.delete(tokens.keys().next().value as string);
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, now + settings.tokenTtlSec * 1000);
    return token;
  };

  return {
    async handleTokenRequest(req, res) {
      const body = (await readBody(req, 16_384)) ?? '';
      const credentials = parseBasicAuth(req.headers.authorization);
      if (credentials?.user !== settings.clientId || credentials.password !== settings.clientSecret) {
        res.setHeader('www-authenticate', 'Basic realm="sase"');
        return oauthError(res, 401, 'invalid_client', 'client authentication failed');
      }
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        return oauthError(res, 400, 'invalid_request', 'expected an application/x-www-form-urlencoded body');
      }
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials') {
        return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      }
      const scope = form.get('scope') ?? '';
      const wanted = `tsg_id:${settings.tsgId}`;
      if (settings.tsgId && !scope.split(' ').includes(wanted)) {
        return oauthError(res, 400, 'invalid_scope', `scope must include ${wanted}`);
      }
      sendJson(
        res,
        200,
        {
          access_token: issue(),
          token_type: 'Bearer',
          expires_in: settings.tokenTtlSec,
          scope: scope || (settings.tsgId ? wanted : 'profile'),
        },
        { 'cache-control': 'no-store' },
      );
    },
    checkBearer(authorization) {
      const token = parseBearer(authorization);
      if (!token) return { ok: false, error: 'unauthorized', message: 'missing bearer token' };
      const expiresAt = tokens.get(token);
      if (expiresAt === undefined) return { ok: false, error: 'invalid_token', message: 'unknown bearer token' };
      if (expiresAt <= settings.clock.now().getTime()) {
        return { ok: false, error: 'invalid_token', message: 'bearer token expired' };
      }
      return { ok: true };
    },
  };
}
