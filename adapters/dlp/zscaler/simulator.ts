import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SimulatorHandle, systemClock } from '../../../src/ports/index.js';
import { createFaultInjector } from '../simulator-kit/faults.js';
import { routeRequest } from '../simulator-kit/gateway.js';
import { firstOpenPositions, replaceIds } from '../simulator-kit/id-quirks.js';
import { createJournaling } from '../simulator-kit/journal.js';
import { createPinnableClock } from '../simulator-kit/pinnable-clock.js';
import { positiveInteger, shareWithinOne } from '../simulator-kit/range-checks.js';
import { createRateWindows, type PublishedLimit, type RateWindows } from '../simulator-kit/rate-windows.js';
import { createRequestLog } from '../simulator-kit/request-log.js';
import { readBody, sendJson } from '../simulator-kit/respond.js';
import { createRouter } from '../simulator-kit/router.js';
import { startLoopbackServer } from '../simulator-kit/server.js';
import { resolveDatasetKnobs, type SimulatorBaseOptions } from '../simulator-kit/start-options.js';
import { createZwaAuth } from './simulator/auth.js';
import { isOpenStatus } from './simulator/catalog.js';
import { generateZwaDataset } from './simulator/dataset.js';
import { createHandlers, type Handler, type SearchSeen, sendError, type ZscalerQuirks } from './simulator/handlers.js';
import type { ZwaIncidentRecord } from './simulator/records.js';

export type { ZscalerQuirks } from './simulator/handlers.js';

/** The published limits per endpoint class (reference §1.7): the token endpoint, "Medium" and "Light". */
export const SIMULATED_LIMITS: Readonly<Record<LimitClass, Required<PublishedLimit>>> = {
  token: { perMinute: 20, perHour: 400 },
  medium: { perMinute: 20, perHour: 400 },
  light: { perMinute: 30, perHour: 1_000 },
};
export type LimitClass = 'token' | 'medium' | 'light';

export interface ZscalerSimulatorOptions extends SimulatorBaseOptions {
  keyId?: string;
  keySecret?: string;
  /** Lifetime of issued tokens (default 43,200 s, the documented 12 hours). */
  tokenTtlSec?: number;
  /** Label keys that exist in the tenant's Setup > Labels (default Assignee and Confidential). */
  labels?: readonly string[];
  /** Enforce the published limits per endpoint class: 429 with Retry-After past them. */
  publishedLimits?: boolean;
  quirks?: ZscalerQuirks;
  /** Called for every request to a known route, with its limit class, the simulator's time and its answer status. */
  onRequest?: (limit: LimitClass, atMs: number, status: number) => void;
}

export interface ZscalerSimulator extends SimulatorHandle {
  baseUrl: string;
  credentials: { keyId: string; keySecret: string };
  /** Requests received, by route and by limit class; `rateLimited` and `unauthorized` count 429 and 401 answers. */
  requests(): {
    total: number;
    token: number;
    rateLimited: number;
    unauthorized: number;
    byRoute: Record<string, number>;
    byClass: Record<LimitClass, number>;
  };
  /** A visible incident as the API would serve it now (never broken by quirks). */
  incident(id: string): ZwaIncidentRecord | undefined;
  /** Every visible incident in creation order, as the API would serve it now (never broken by quirks). */
  records(): ZwaIncidentRecord[];
  openIncidentCount(): number;
  /** Every token issued so far stops working, as after a key rotation. */
  revokeTokens(): void;
  /** The latest searches received (query and body), oldest first. */
  searches(): SearchSeen[];
}

export const ZWA_KEY_ID_ENV = 'ZSCALER_SANDBOX_KEY_ID';
export const ZWA_KEY_SECRET_ENV = 'ZSCALER_SANDBOX_KEY_SECRET';
export const TOKEN_PATH = '/v1/auth/api-key/token';
const INCIDENTS = '/dlp/v1/incidents';

type Route = { handler: Handler | 'token'; limit: LimitClass };

export async function startZscalerSimulator(options: ZscalerSimulatorOptions = {}): Promise<ZscalerSimulator> {
  const clock = createPinnableClock(options.clock ?? systemClock);
  const tokenTtlSec = positiveInteger('tokenTtlSec', options.tokenTtlSec ?? 43_200);
  shareWithinOne('quirks.malformedRecordShare', options.quirks?.malformedRecordShare);
  const credentials = {
    keyId: options.keyId ?? 'sandbox-key-id',
    keySecret: options.keySecret ?? 'sandbox-key-secret',
  };
  const dataset = generateZwaDataset(resolveDatasetKnobs(options, clock));
  const auth = createZwaAuth({ ...credentials, tokenTtlSec, clock });
  const faults = createFaultInjector(options.faults, clock);
  const windows: Partial<Record<LimitClass, RateWindows>> = options.publishedLimits
    ? {
        token: createRateWindows(SIMULATED_LIMITS.token, clock),
        medium: createRateWindows(SIMULATED_LIMITS.medium, clock),
        light: createRateWindows(SIMULATED_LIMITS.light, clock),
      }
    : {};
  const log = createRequestLog();
  const byClass: Record<LimitClass, number> = { token: 0, medium: 0, light: 0 };
  let rateLimited = 0;
  let unauthorized = 0;
  const replaced = options.quirks?.replaceIds ?? [];
  const startMs = clock.now().getTime();
  const isOpenAtStart = (p: number) => isOpenStatus(dataset.row(p).status) && dataset.row(p).createdMs <= startMs;
  const ids = replaceIds(replaced, firstOpenPositions(replaced.length, dataset.size(), isOpenAtStart));
  const { handlers, record, positionOf, searches } = createHandlers(
    dataset,
    options.quirks ?? {},
    options.labels ?? ['Assignee', 'Confidential'],
    ids,
  );
  const now = () => clock.now().getTime();

  const router = createRouter<Route>([
    { method: 'POST', path: TOKEN_PATH, handler: { handler: 'token', limit: 'token' } },
    { method: 'POST', path: `${INCIDENTS}/search`, handler: { handler: handlers.search, limit: 'medium' } },
    { method: 'GET', path: `${INCIDENTS}/{id}`, handler: { handler: handlers.get, limit: 'light' } },
    {
      method: 'POST',
      path: `${INCIDENTS}/{id}/notes`,
      handler: { handler: handlers.notes, limit: 'medium' },
      mutates: true,
    },
    {
      method: 'POST',
      path: `${INCIDENTS}/{id}/labels`,
      handler: { handler: handlers.labels, limit: 'medium' },
      mutates: true,
    },
    {
      method: 'POST',
      path: `${INCIDENTS}/{id}/close`,
      handler: { handler: handlers.close, limit: 'light' },
      mutates: true,
    },
    { method: 'GET', path: `${INCIDENTS}/{id}/triggers`, handler: { handler: handlers.triggers, limit: 'light' } },
    { method: 'GET', path: `${INCIDENTS}/{id}/evidence`, handler: { handler: handlers.evidence, limit: 'light' } },
  ]);
  const journaling = createJournaling({
    router,
    clock,
    journal: options.journal,
    dispatch: ({ route, req, res, url, params }) => {
      const { handler } = route.handler;
      if (handler === 'token') return;
      dataset.advance(now());
      return handler({ req, res, url, params, nowMs: now() });
    },
  });

  const tooMany = (res: ServerResponse, seconds: number, limit: number | null, message: string) => {
    rateLimited += 1;
    const headers: Record<string, string> = { 'retry-after': String(seconds), 'ratelimit-reset': String(seconds) };
    if (limit !== null) Object.assign(headers, { 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0' });
    sendError(res, 429, message, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { url, match } = routeRequest(req, router, log);
    if (match.kind === 'not_found') return sendError(res, 404, 'Resource does not exist');
    if (match.kind === 'method_not_allowed') {
      return sendError(res, 405, `${req.method} is not allowed here`, { allow: match.allow.join(', ') });
    }
    const { handler, limit } = match.route.handler;
    byClass[limit] += 1;
    if (options.onRequest) {
      const atMs = now();
      res.once('finish', () => options.onRequest?.(limit, atMs, res.statusCode));
    }
    // Gateway order: the published limit first, then injected faults, then the credentials.
    const admission = windows[limit]?.admit();
    if (admission && !admission.ok) {
      return tooMany(
        res,
        admission.retryAfterSec,
        admission.limit,
        `rate limit of ${admission.limit} per ${admission.span} exceeded`,
      );
    }
    if (handler === 'token') {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text ?? '');
      } catch {
        body = undefined;
      }
      const answer = auth.issue(body);
      return sendJson(res, answer.status, answer.body, { 'cache-control': 'no-store' });
    }
    const fault = await faults.next();
    if (fault?.status === 429) return tooMany(res, Number(fault.headers['retry-after'] ?? 1), null, fault.message);
    if (fault) return sendError(res, fault.status, fault.message);
    if (!auth.valid(req)) {
      unauthorized += 1;
      return sendError(res, 401, 'Authorization failure', { 'www-authenticate': 'Bearer' });
    }
    await journaling.run(match, req, res, url);
  };

  await journaling.replay();
  const server = await startLoopbackServer(handle, { port: options.port });
  const visiblePositions = () => {
    dataset.advance(now());
    const out: number[] = [];
    for (let p = 0; p < dataset.size(); p += 1) if (dataset.row(p).createdMs <= now()) out.push(p);
    return out;
  };
  const openIncidentCount = () => visiblePositions().filter((p) => isOpenStatus(dataset.row(p).status)).length;

  return {
    port: server.port,
    baseUrl: server.url,
    credentials,
    requests() {
      const { total, byRoute } = log.counts();
      const token = byRoute[`POST ${TOKEN_PATH}`] ?? 0;
      return { total, token, rateLimited, unauthorized, byRoute, byClass: { ...byClass } };
    },
    incident(id) {
      dataset.advance(now());
      const position = positionOf(id, now());
      return position === undefined ? undefined : record(position);
    },
    records: () => visiblePositions().map(record),
    openIncidentCount,
    revokeTokens: () => auth.revokeAll(),
    searches,
    describe: () => [
      'Zscaler Workflow Automation (ZWA) DLP incidents API simulator (synthetic data)',
      `  base URL:     ${server.url}  (POST ${INCIDENTS}/search?page=&pageSize=&pageId=, GET ${INCIDENTS}/{id}, …/notes, …/close, …/labels, …/triggers)`,
      `  auth:         POST ${TOKEN_PATH} {"key_id":"${credentials.keyId}","key_secret":"${credentials.keySecret}"} → 201 bearer token (TTL ${tokenTtlSec}s)`,
      `  incidents:    ${visiblePositions().length} visible, ${openIncidentCount()} open (seed ${dataset.seed}, anchor ${dataset.anchor.toISOString()})`,
      `  rate limits:  ${options.publishedLimits ? 'published limits enforced (token and search/notes/labels 20/min 400/h; GETs and close 30/min 1,000/h)' : 'off (--published-limits enforces the published ones)'}`,
      ...faults.describe().map((line) => `  ${line}`),
    ],
    sourceConfig: (id) => ({
      id,
      vendor: 'zscaler',
      baseUrl: server.url,
      keyIdEnv: ZWA_KEY_ID_ENV,
      keySecretEnv: ZWA_KEY_SECRET_ENV,
    }),
    env: () => ({ [ZWA_KEY_ID_ENV]: credentials.keyId, [ZWA_KEY_SECRET_ENV]: credentials.keySecret }),
    close: () => server.close(),
  };
}
