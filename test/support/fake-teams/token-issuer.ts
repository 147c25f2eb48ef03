import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Framework token service on loopback: an OpenID metadata document and its JWKS, as
 * login.botframework.com serves them, with an RSA key made at start, and tokens signed the way the Bot
 * Framework signs what it sends to a bot (botframework-connector 4.23 ChannelValidation: issuer
 * https://api.botframework.com, audience = the bot's app id, `serviceurl` = the activity's serviceUrl, RS256,
 * a key endorsed for the channel). The bot reads it through `chat.teams.openIdMetadataUrl`.
 */

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

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
  /** `Bearer …` signed with the published key. */
  authorization(claims: TokenClaims): string;
  /** `Bearer …` signed with a key that is not published, under the published key's id or an unknown one. */
  forged(claims: TokenClaims, kid: 'published' | 'unknown'): string;
  /** How many times the bot fetched the metadata and the keys. */
  fetches: { metadata: number; keys: number };
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

export async function startTokenIssuer(options: { channelId?: string } = {}): Promise<TokenIssuer> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const { n, e } = published.publicKey.export({ format: 'jwk' });
  const fetches = { metadata: 0, keys: 0 };
  let base = '';
  const server: Server = createServer((req, res): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
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
    authorization: (claims) => sign(claims, published.privateKey, kid),
    forged: (claims, which) => sign(claims, stranger.privateKey, which === 'published' ? kid : randomUUID()),
    fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
