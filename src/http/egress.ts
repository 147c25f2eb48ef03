import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import type { Env } from '../config/schema.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Egress } from '../ports/index.js';

export type { Egress };

type ProxyVariable = 'HTTP_PROXY' | 'HTTPS_PROXY';

/** Lower case first, as curl and undici read them; an empty value counts as unset. */
function variable(env: Env, name: ProxyVariable | 'NO_PROXY'): { name: string; value: string } {
  for (const spelling of [name.toLowerCase(), name]) {
    const value = env[spelling]?.trim();
    if (value) return { name: spelling, value };
  }
  return { name, value: '' };
}

/** Names the variable only: the value may hold a password. */
function checkProxyUrl(name: string, value: string): string | undefined {
  const expected = `${name} is not a proxy URL; expected http://host:port (or http://user:password@host:port)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '';
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && bare ? undefined : expected;
}

/**
 * The proxy the environment asks for; null when neither proxy variable is set, so nothing changes for a process
 * that has none. A malformed proxy URL is an error naming the variable (never its value: it may hold a password).
 */
export function egressFromEnv(env: Env): Result<Egress | null, string> {
  const http = variable(env, 'HTTP_PROXY');
  const https = variable(env, 'HTTPS_PROXY');
  if (!http.value && !https.value) return ok(null);
  for (const proxy of [http, https]) {
    const problem = proxy.value ? checkProxyUrl(proxy.name, proxy.value) : undefined;
    if (problem) return err(problem);
  }
  return ok({ httpProxy: http.value, httpsProxy: https.value, noProxy: variable(env, 'NO_PROXY').value });
}

/** The proxies as an operator may read them in a log: scheme, host and port only, never credentials. */
export function describeEgress(egress: Egress): {
  httpProxy: string | null;
  httpsProxy: string | null;
  noProxy: string;
} {
  const shown = (value: string) => (value ? new URL(value).origin : null);
  return { httpProxy: shown(egress.httpProxy), httpsProxy: shown(egress.httpsProxy), noProxy: egress.noProxy };
}

export type EgressAgentOptions = Pick<
  Agent.Options,
  'connections' | 'connectTimeout' | 'headersTimeout' | 'bodyTimeout'
>;

/**
 * An undici dispatcher for any origin that sends each request through the proxy `egress` names, or directly for
 * `noProxy` hosts. https destinations are tunnelled with CONNECT; plain http ones are forwarded as absolute-URI
 * requests, as curl does, since proxies commonly refuse CONNECT to ports other than 443. Loaded only when needed.
 */
export function createEgressDispatcher(egress: Egress, options: EgressAgentOptions = {}): Dispatcher {
  const { EnvHttpProxyAgent } = createRequire(import.meta.url)('undici') as typeof import('undici');
  // Every value is passed, empty or not, so undici never falls back to reading process.env itself.
  return new EnvHttpProxyAgent({
    ...options,
    httpProxy: egress.httpProxy,
    httpsProxy: egress.httpsProxy,
    noProxy: egress.noProxy,
    proxyTunnel: false,
  });
}

/** A WHATWG fetch whose requests go through `dispatcher`, for SDKs that take a `fetch` (the Slack Web API client). */
export function fetchThrough(dispatcher: Dispatcher): typeof globalThis.fetch {
  const undici = createRequire(import.meta.url)('undici') as typeof import('undici');
  return ((input: string | URL, init?: RequestInit) =>
    undici.fetch(input, { ...(init as import('undici').RequestInit), dispatcher })) as unknown as typeof fetch;
}
