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
