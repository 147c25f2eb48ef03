import type { AdapterError } from '../../../src/domain/errors.js';
import { ok, type Result } from '../../../src/domain/result.js';
import {
  createBearerAuth,
  createHttpClient,
  type HttpRequest,
  idSegment,
  responseValidator,
  sourceClientBase,
} from '../../../src/http/index.js';
import { type AdapterDeps, SNIPPET_RESPONSE_MAX_BYTES } from '../../../src/ports/index.js';
import type { ZscalerConfig } from './config.js';
import { PUBLISHED_LIMITS } from './limits.js';
import { type ZwaCursor, ZwaSearchPage, ZwaToken, ZwaTriggers } from './schema.js';

export { PUBLISHED_LIMITS };

export type PacingClass = keyof typeof PUBLISHED_LIMITS;

/** Zscaler counts a request when it arrives; a second's margin absorbs network jitter between our clock and theirs. */
const PACING_MARGIN_MS = 1_000;
/**
 * Searches (scans) may spend at most this share of the medium budget, so a long first scan of a backlog, which
 * can use a whole hour's searches, never leaves a note or an assignee label from a click waiting for the hour.
 */
export const SCAN_SHARE = 0.75;

/** The search window, on the incident's time (ISO-8601 with milliseconds, as the API documents). */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface SearchPage {
  cursor: ZwaCursor | null;
  incidents: unknown[];
}

/** Where a search page is: the first call is `page=0`; later ones add the `pageId` the first answer returned. */
export interface PagePosition {
  page: number;
  pageId?: string | undefined;
}

/** ZWA's calls, validated at the boundary. No paging rules or mapping here. */
export interface ZwaClient {
  search(range: TimeRange, at: PagePosition, pageSize: number): Promise<Result<SearchPage, AdapterError>>;
  get(id: string): Promise<Result<unknown, AdapterError>>;
  addNote(id: string, notes: string): Promise<Result<void, AdapterError>>;
  /** Without `notes` the close carries none (a retry whose note is already there). */
  closeFalsePositive(id: string, notes?: string): Promise<Result<void, AdapterError>>;
  addLabel(id: string, key: string, value: string): Promise<Result<void, AdapterError>>;
  triggers(id: string): Promise<Result<Record<string, unknown>, AdapterError>>;
  /** A valid token's lifetime in ms (fetching one if none is cached), for `doctor`. */
  tokenLifetimeMs(): Promise<Result<number, AdapterError>>;
  close(): Promise<void>;
}

export const validated = responseValidator('ZWA');

const DEFAULT_TOKEN_LIFETIME_S = 43_200;
const incidentPath = (id: string, action = '') => `/dlp/v1/incidents/${idSegment(id)}${action}`;

export function createZwaClient(config: ZscalerConfig, deps: AdapterDeps): ZwaClient {
  const base = sourceClientBase(config, deps);
  const pacing = (limits: Record<string, { perMinute: number; perHour: number }>) =>
    Object.fromEntries(Object.entries(limits).map(([name, l]) => [name, { ...l, marginMs: PACING_MARGIN_MS }]));
  // The token endpoint has its own 20/min and 400/h, counted apart from search.
  const tokenHttp = createHttpClient({
    ...base,
    baseUrl: config.baseUrl,
    counterKind: 'token',
    pacing: pacing({ medium: config.rateLimits.medium }),
  });
  let lastLifetimeMs = 0;

  const fetchToken = async () => {
    const response = await tokenHttp.request({
      method: 'POST',
      path: '/v1/auth/api-key/token',
      json: { key_id: config.keyIdEnv.reveal(), key_secret: config.keySecretEnv.reveal() },
      anonymous: true,
      idempotent: true,
      pacing: 'medium',
      op: 'fetchToken',
    });
    if (!response.ok) return response;
    const token = validated(ZwaToken, 'fetchToken', response.value.body);
    if (!token.ok) return token;
    lastLifetimeMs = (token.value.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    return ok({ accessToken: token.value.token, expiresInMs: lastLifetimeMs });
  };
  const bearer = createBearerAuth({ fetchToken, now: () => deps.clock.now().getTime() });
  const { medium } = config.rateLimits;
  const scanShare = {
    perMinute: Math.max(1, Math.floor(medium.perMinute * SCAN_SHARE)),
    perHour: Math.max(1, Math.floor(medium.perHour * SCAN_SHARE)),
  };
  const api = createHttpClient({
    ...base,
    baseUrl: config.baseUrl,
    auth: bearer,
    pacing: pacing({ ...config.rateLimits, scan: scanShare }),
  });

  type Paced = HttpRequest & { pacing: PacingClass | readonly ['scan', 'medium'] };
  const send = (req: Paced) => api.request(req);
  const done = async (req: Paced): Promise<Result<void, AdapterError>> => {
    const response = await send({ ...req, expect: 'empty' });
    return response.ok ? ok(undefined) : response;
  };

  return {
    async search(range, at, pageSize) {
      const op = 'searchIncidents';
      const response = await send({
        method: 'POST',
        path: '/dlp/v1/incidents/search',
        query: { page: at.page, pageSize, pageId: at.pageId },
        json: {
          ...(config.filters.length ? { fields: config.filters } : {}),
          timeRange: { startTime: new Date(range.startMs).toISOString(), endTime: new Date(range.endMs).toISOString() },
        },
        // A read, whatever its method: safe to repeat after a timeout or a 5xx.
        idempotent: true,
        // The scan's own share first, then the medium budget it shares with notes and labels.
        pacing: ['scan', 'medium'],
        // If the key's hour was spent elsewhere (a restart, another tool), a scan waits for the window, up to an
        // hour, rather than failing and starting the pass again next time.
        maxRetryAfterMs: 3_600_000,
        op,
      });
      if (!response.ok) return response;
      const page = validated(ZwaSearchPage, op, response.value.body);
      if (!page.ok) return page;
      return ok({ cursor: page.value.cursor ?? null, incidents: page.value.incidents });
    },
    async get(id) {
      const response = await send({ method: 'GET', path: incidentPath(id), pacing: 'light', op: 'getIncident' });
      return response.ok ? ok(response.value.body) : response;
    },
    addNote: (id, notes) =>
      done({ method: 'POST', path: incidentPath(id, '/notes'), json: { notes }, pacing: 'medium', op: 'addNote' }),
    closeFalsePositive: (id, notes) =>
      done({
        method: 'POST',
        path: incidentPath(id, '/close'),
        json: { resolutionCode: 'FALSE_POSITIVE', ...(notes === undefined ? {} : { notes }) },
        // Closing a closed incident as a false positive again changes nothing, but the notes it carries are added
        // again: only a close without notes is repeated after a timeout (a person's retry finds the note's marker).
        idempotent: notes === undefined,
        pacing: 'light',
        op: 'closeIncident',
      }),
    addLabel: (id, key, value) =>
      done({
        method: 'POST',
        path: incidentPath(id, '/labels'),
        json: { labels: [{ key, value }] },
        idempotent: true,
        pacing: 'medium',
        op: 'assignLabels',
      }),
    async triggers(id) {
      const op = 'getTriggers';
      const path = incidentPath(id, '/triggers');
      const response = await send({
        method: 'GET',
        path,
        pacing: 'light',
        maxResponseBytes: SNIPPET_RESPONSE_MAX_BYTES,
        op,
      });
      return response.ok ? validated(ZwaTriggers, op, response.value.body) : response;
    },
    async tokenLifetimeMs() {
      const token = await bearer.token();
      return token.ok ? ok(lastLifetimeMs) : token;
    },
    async close() {
      await Promise.allSettled([api.close(), tokenHttp.close()]);
    },
  };
}
