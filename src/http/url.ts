import { isCleartextRemote } from '../config/url-schema.js';
import { vendorIdProblem } from '../domain/vendor-id.js';
import type { QueryValue } from './types.js';

export interface ParsedBaseUrl {
  origin: string;
  /** Without a trailing slash; '' for an origin-only base. */
  basePath: string;
}

/** Misconfiguration is a programmer or config error, so it throws at client creation rather than per request. */
export function parseBaseUrl(baseUrl: string): ParsedBaseUrl {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('baseUrl must be http(s)');
  // Config refuses it too, by key path; this catches URLs built in code.
  if (isCleartextRemote(baseUrl)) throw new TypeError('baseUrl must be https (plain http only to loopback)');
  if (url.search || url.hash) throw new TypeError('baseUrl must not carry a query or fragment');
  // Credentials in a URL end up in error messages and proxies' logs; they belong in auth instead.
  if (url.username || url.password) throw new TypeError('baseUrl must not carry credentials');
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * `key=value` pairs joined by '&', without the leading '?'. Undefined values are dropped and arrays repeat the key.
 * encodeURIComponent rather than URLSearchParams: some vendors read '+' literally instead of as a space.
 */
export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = typeof value === 'object' ? value : [String(value)];
    for (const item of values) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return pairs.join('&');
}

export function buildRequestPath(basePath: string, path: string, query?: Record<string, QueryValue>): string {
  // An empty path addresses the base URL itself (a token endpoint configured as one full URL).
  const joined = path === '' ? basePath || '/' : `${basePath}${path.startsWith('/') ? path : `/${path}`}`;
  const qs = buildQuery(query);
  if (!qs) return joined;
  return `${joined}${joined.includes('?') ? '&' : '?'}${qs}`;
}

/**
 * A vendor id as one URL path segment: percent-encoded (a `/` cannot open another segment), and only for an id the
 * id rule allows, so `..` never walks up the vendor's API and a lone surrogate never throws mid-scan. Adapters refuse
 * such ids before they get here; a throw means one slipped through, which is a bug.
 */
export function idSegment(id: string): string {
  const problem = vendorIdProblem(id);
  if (problem) throw new TypeError(`refusing to put an incident id in a URL path: ${problem}`);
  return encodeURIComponent(id);
}

/** A console deep link from its configured template (`…/incidents/{id}`), or null when the id cannot go in a URL. */
export function idLink(template: string | undefined, id: string): string | null {
  if (!template || vendorIdProblem(id)) return null;
  return template.replace('{id}', encodeURIComponent(id));
}
