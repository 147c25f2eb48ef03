import {
  createSign,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  type KeyPairKeyObjectResult,
  randomUUID,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Framework token services on loopback, both directions:
 * - inbound (what Teams sends a bot): an OpenID metadata document and its JWKS, as login.botframework.com serves
 *   them, with an RSA key made at start, and tokens signed the way the Bot Framework signs them (botframework-connector
 *   4.23 ChannelValidation: issuer https://api.botframework.com, audience = the bot's app id, `serviceurl` = the
 *   activity's serviceUrl, RS256, a key endorsed for the channel). The bot reads it through
 *   `chat.teams.openIdMetadataUrl`.
 * - outbound (what a bot sends the connector): an OAuth client-credentials token endpoint, as
 *   login.microsoftonline.com/<tenant>/oauth2/v2.0/token answers it, for the registered app and secret only, with
 *   access tokens for https://api.botframework.com signed by another key; `verify` is how the fake connector checks
 *   them. The bot reads it through `chat.teams.tokenUrl`.
 */

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The audience (and the scope, with `/.default`) of the tokens a bot sends the connector. */
export const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

/** The app registration the token endpoint knows. */
export interface IssuerApp {
  id: string;
  secret: string;
  tenant: string;
}

export interface TokenClaims {
  /** The bot's app id. */
  aud: string;
  serviceurl: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

export interface TokenIssuer {
  metadataUrl: string;
  /** The OAuth token endpoint, for `chat.teams.tokenUrl`. */
  tokenUrl: string;
  /** `Bearer …` signed with the published key. */
  authorization(claims: TokenClaims): string;
  /** `Bearer …` signed with a key that is not published, under the published key's id or an unknown one. */
  forged(claims: TokenClaims, kid: 'published' | 'unknown'): string;
  /** How many times the bot fetched the metadata and the keys, was given an access token, and was refused one. */
  fetches: { metadata: number; keys: number; tokens: number; tokensRefused: number };
  /**
   * True for `Bearer <access token>` this issuer gave the app, for the connector, unexpired: what the fake connector
   * asks of every call.
   */
  verify(authorization: string | undefined): boolean;
  /** The next `count` token requests get this status (a 5xx: the token service is down). */
  failTokens(status: number, count?: number): void;
  close(): Promise<void>;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function sign(claims: TokenClaims, key: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.iss ?? BOT_FRAMEWORK_ISSUER,
      aud: claims.aud,
      serviceurl: claims.serviceurl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + (claims.expiresIn ?? 3600),
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `Bearer ${header}.${payload}.${base64url(signature)}`;
}

/** The claims of a JWT this issuer signed with `key`, or null for anything else (bad shape, signature or algorithm). */
function verified(token: string, key: KeyObject): Record<string, unknown> | null {
  const [header, payload, signature, ...rest] = token.split('.');
  if (!header || !payload || !signature || rest.length > 0) return null;
  try {
    if ((JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg !== 'RS256')
      return null;
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(key, Buffer.from(signature, 'base64url'));
    return valid ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

let keys: Record<'published' | 'stranger' | 'outbound', KeyPairKeyObjectResult> | undefined;
/** Made once per process, as a 2048-bit RSA pair costs 0.1–1 s of CPU; each issuer still holds three distinct keys. */
function issuerKeys() {
  keys ??= {
    published: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    stranger: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    // Access tokens for the connector: another key, never published (only the fake connector checks them).
    outbound: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return keys;
}

export async function startTokenIssuer(options: { channelId?: string; app?: IssuerApp } = {}): Promise<TokenIssuer> {
  const { published, stranger, outbound } = issuerKeys();
  const kid = randomUUID();
  const { n, e } = published.publicKey.export({ format: 'jwk' });
  const fetches = { metadata: 0, keys: 0, tokens: 0, tokensRefused: 0 };
  const tokenFailures: number[] = [];
  const tokenPath = `/${options.app?.tenant ?? 'tenant'}/oauth2/v2.0/token`;
  let base = '';

  /** The client-credentials grant, as Entra ID answers it (errors in its shape, so MSAL reports them as such). */
  async function grant(req: IncomingMessage): Promise<{ status: number; body: Record<string, unknown> }> {
    const form = await formOf(req);
    const injected = tokenFailures.shift();
    if (injected !== undefined) {
      fetches.tokensRefused += 1;
      return { status: injected, body: { error: 'temporarily_unavailable' } };
    }
    const app = options.app;
    const refused = (error: string) => {
      fetches.tokensRefused += 1;
      return { status: 401, body: { error, error_description: `${error} (fake token issuer)` } };
    };
    if (form.get('grant_type') !== 'client_credentials') return refused('unsupported_grant_type');
    if (!app || form.get('client_id') !== app.id || form.get('client_secret') !== app.secret) {
      return refused('invalid_client');
    }
    if (form.get('scope') !== `${CONNECTOR_AUDIENCE}/.default`) return refused('invalid_scope');
    fetches.tokens += 1;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: `https://login.microsoftonline.com/${app.tenant}/v2.0`,
      aud: CONNECTOR_AUDIENCE,
      appid: app.id,
      tid: app.tenant,
      nbf: now - 60,
      iat: now - 60,
      exp: now + 3600,
    };
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'outbound' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(outbound.privateKey);
    const token = `${header}.${payload}.${base64url(signature)}`;
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: token } };
  }

  const server: Server = createServer((req, res): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (body: unknown, status = 200) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && path === tokenPath) {
      void grant(req).then(({ status, body }) => json(body, status));
      return;
    }
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      fetches.metadata += 1;
      json({
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${base}/v1/authorize`,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
      return;
    }
    if (req.method === 'GET' && path === '/v1/.well-known/keys') {
      fetches.keys += 1;
      json({ keys: [{ kty: 'RSA', use: 'sig', kid, n, e, endorsements: [options.channelId ?? 'msteams'] }] });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    tokenUrl: `${base}${tokenPath}`,
    authorization: (claims) => sign(claims, published.privateKey, kid),
    forged: (claims, which) => sign(claims, stranger.privateKey, which === 'published' ? kid : randomUUID()),
    fetches,
    verify(authorization) {
      const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
      const claims = token ? verified(token, outbound.publicKey) : null;
      return (
        claims !== null &&
        claims.aud === CONNECTOR_AUDIENCE &&
        claims.appid === options.app?.id &&
        typeof claims.exp === 'number' &&
        claims.exp > Date.now() / 1000
      );
    },
    failTokens(status, count = 1) {
      for (let i = 0; i < count; i++) tokenFailures.push(status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
