import { isLoopbackHost } from '../../../src/config/url-schema.js';

/**
 * Where Teams' Bot Framework service lives: the public cloud (`https://smba.trafficmanager.net/<region>/`, e.g.
 * `amer`, `emea`, `apac`, `in`, `teams`) and GCC, which signs with the same public-cloud tokens. GCC High and DoD
 * (`smba.infra.gov.teams.microsoft.us`, `smba.infra.dod.teams.microsoft.us`) need government-cloud tokens this bot
 * does not configure, so they are not here.
 */
export const BOT_FRAMEWORK_SERVICE_URLS: readonly string[] = [
  'https://smba.trafficmanager.net/',
  'https://smba.infra.gcc.teams.microsoft.com/',
];

/** Every card, update and private answer goes to an activity's `serviceUrl`: which ones may be used and stored. */
export interface ServiceUrlPolicy {
  allows(serviceUrl: string): boolean;
  /**
   * True when every activity carries a Bot Framework token that vouches for its service URL: only then may an
   * activity move a stored conversation to another service URL (Teams moves a tenant between regions).
   */
  authenticated: boolean;
  /** The allowlist as an operator reads it, for log lines. */
  described: string;
}

const parse = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

/** A listed entry covers a service URL with the same scheme, host and port, at or under the entry's path. */
function covers(entry: URL, url: URL): boolean {
  const path = entry.pathname.endsWith('/') ? entry.pathname : `${entry.pathname}/`;
  return (
    entry.protocol === url.protocol &&
    entry.host === url.host &&
    (url.pathname === entry.pathname || url.pathname.startsWith(path))
  );
}

/**
 * The allowlist in effect: the configured entries, else the Bot Framework hosts when activities are authenticated,
 * else (unauthenticated, for the Agents Playground and tests) any port on loopback, where the Playground's own
 * connector listens (`http://localhost:<port>/_connector`).
 */
export function serviceUrlPolicy(options: { serviceUrls?: readonly string[] | undefined; authenticated: boolean }) {
  const listed = options.serviceUrls ?? (options.authenticated ? BOT_FRAMEWORK_SERVICE_URLS : null);
  const entries = (listed ?? []).flatMap((text) => parse(text) ?? []);
  const policy: ServiceUrlPolicy = {
    authenticated: options.authenticated,
    described: listed ? listed.join(', ') : 'loopback (any port)',
    allows(serviceUrl) {
      const url = parse(serviceUrl);
      if (!url || url.username || url.password) return false;
      if (!listed) return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
      return entries.some((entry) => covers(entry, url));
    },
  };
  return policy;
}
