import { createRequire } from 'node:module';
import { createEgressDispatcher, fetchThrough } from '../../../src/http/index.js';
import type { Egress } from '../../../src/ports/index.js';

/** A package as botframework-connector itself loads it (its CommonJS build), so what we hand it is what it expects. */
export const asConnectorLoads = <T>(name: string): T =>
  createRequire(createRequire(import.meta.url).resolve('botframework-connector'))(name) as T;

/** MSAL node's INetworkModule (@azure/msal-common), as far as the client-credentials flow uses it. */
export interface MsalNetworkClient {
  sendGetRequestAsync<T>(url: string, options?: MsalRequest, timeout?: number): Promise<MsalResponse<T>>;
  sendPostRequestAsync<T>(url: string, options?: MsalRequest): Promise<MsalResponse<T>>;
}
interface MsalRequest {
  headers?: Record<string, string>;
  body?: string;
}
interface MsalResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

/** An @azure/core-rest-pipeline HttpClient, as far as the connector client's pipeline uses one. */
export interface ConnectorHttpClient {
  sendRequest(request: ConnectorRequest): Promise<unknown>;
}
interface ConnectorRequest {
  url: string;
  method: string;
  headers: { toJSON(): Record<string, string> };
  body?: unknown;
  /** Milliseconds; 0 means none. */
  timeout: number;
  abortSignal?: AbortSignal;
}
interface CoreRestPipeline {
  createHttpHeaders(raw: Record<string, string>): unknown;
  RestError: new (message: string, options: { code?: string; request?: unknown }) => Error;
}

/** How Teams reaches Entra ID (tokens) and the Bot Framework connector (cards) through the outbound proxy. */
export interface TeamsTransport {
  /** For MSAL's `system.networkClient`: its own `proxyUrl` only tunnels, without credentials or NO_PROXY. */
  msal: MsalNetworkClient;
  /** Replaces each connector client's node:http client, which reads the proxy from process.env by its own rules. */
  connector: ConnectorHttpClient;
  /** A WHATWG fetch through the proxy, within the deadline (the inbound signing keys). */
  fetch: typeof globalThis.fetch;
}

/** MSAL reads error answers from the body; one that is not JSON becomes an error of the same kind as MSAL's own. */
function msalBody(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const error = status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'unknown_error';
    return { error, error_description: `the token service answered ${status} without JSON` };
  }
}

/**
 * Null without a proxy, so the Bot Framework libraries keep their own defaults. With one, every token request and
 * every connector call goes through the same undici dispatcher as vendor and Slack calls (same NO_PROXY rules), each
 * within `timeoutMs`.
 */
export function teamsTransport(egress: Egress | undefined, timeoutMs: number): TeamsTransport | null {
  if (!egress) return null;
  const timeouts = { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  const fetch = fetchThrough(createEgressDispatcher(egress, timeouts));
  const core = asConnectorLoads<CoreRestPipeline>('@azure/core-rest-pipeline');

  const msalSend = async <T>(url: string, method: 'GET' | 'POST', options?: MsalRequest): Promise<MsalResponse<T>> => {
    const response = await fetch(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: msalBody(text, response.status) as T,
    };
  };

  return {
    fetch,
    msal: {
      sendGetRequestAsync: (url, options) => msalSend(url, 'GET', options),
      sendPostRequestAsync: (url, options) => msalSend(url, 'POST', options),
    },
    connector: {
      async sendRequest(request) {
        const signals = [request.abortSignal, request.timeout > 0 ? AbortSignal.timeout(request.timeout) : undefined];
        let response: Response;
        try {
          response = await fetch(request.url, {
            method: request.method,
            headers: request.headers.toJSON(),
            body: request.body as RequestInit['body'],
            // The pipeline's redirect policy decides, as with the library's own client.
            redirect: 'manual',
            signal: AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined)),
          });
        } catch (error) {
          // An abort or a deadline stays an AbortError / TimeoutError; anything else is a RestError with its code.
          if (error instanceof DOMException) throw error;
          const code = (error as { cause?: { code?: unknown } }).cause?.code;
          throw new core.RestError('the Bot Framework service could not be reached', {
            ...(typeof code === 'string' ? { code } : {}),
            request,
          });
        }
        return {
          request,
          status: response.status,
          headers: core.createHttpHeaders(Object.fromEntries(response.headers)),
          bodyAsText: await response.text(),
        };
      },
    },
  };
}

/** botframework-connector's OpenIdMetadata (4.23.3), as far as its key cache is refreshed. */
interface OpenIdMetadataLike {
  url: string;
  keys?: unknown;
  lastUpdated: number;
  refreshCache?: () => Promise<void>;
}
interface JwtTokenExtractorLike {
  getOrAddOpenIdMetadata(url: string): OpenIdMetadataLike;
}
interface AuthenticationErrorLike {
  new (message: string, statusCode: number): Error;
}

/**
 * The inbound signing keys fetched through the proxy: botframework-connector keeps one key cache per metadata URL for
 * the whole process and fetches it with node-fetch, through a proxy only as a credential-less CONNECT that ignores
 * NO_PROXY. So each cache for `metadataUrls` is made now and refreshed by `fetch` instead; which keys are trusted, and
 * when they are refreshed, is still the library's. False when the library changed shape (the keys then go direct).
 */
export function fetchSigningKeysThrough(fetch: typeof globalThis.fetch, metadataUrls: readonly string[]): boolean {
  const { JwtTokenExtractor } = asConnectorLoads<{ JwtTokenExtractor?: JwtTokenExtractorLike }>(
    'botframework-connector/lib/auth/jwtTokenExtractor',
  );
  const { AuthenticationError } = asConnectorLoads<{ AuthenticationError: AuthenticationErrorLike }>(
    'botframework-connector',
  );
  if (typeof JwtTokenExtractor?.getOrAddOpenIdMetadata !== 'function') return false;
  const caches = metadataUrls.map((url) => JwtTokenExtractor.getOrAddOpenIdMetadata(url));
  if (!caches.every((cache) => typeof cache.refreshCache === 'function' && cache.url)) return false;
  for (const cache of caches) {
    cache.refreshCache = async () => {
      const metadata = await fetch(cache.url);
      if (!metadata.ok) throw new AuthenticationError(`Failed to load openID config: ${metadata.status}`, 500);
      const { jwks_uri: keysUrl } = (await metadata.json()) as { jwks_uri?: unknown };
      const keys = typeof keysUrl === 'string' ? await fetch(keysUrl) : null;
      if (!keys?.ok) throw new AuthenticationError(`Failed to load Keys: ${keys?.status ?? 'no jwks_uri'}`, 500);
      cache.keys = ((await keys.json()) as { keys?: unknown }).keys;
      cache.lastUpdated = Date.now();
    };
  }
  return true;
}
