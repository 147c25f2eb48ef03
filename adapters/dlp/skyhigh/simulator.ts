import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SimulatorHandle, systemClock } from '../../../src/ports/index.js';
import { createFaultInjector } from '../simulator-kit/faults.js';
import { createExtraLatency, routeRequest } from '../simulator-kit/gateway.js';
import { firstOpenPositions, replaceIds, withIdsReplaced } from '../simulator-kit/id-quirks.js';
import { createJournaling } from '../simulator-kit/journal.js';
import { createPinnableClock } from '../simulator-kit/pinnable-clock.js';
import { positiveInteger } from '../simulator-kit/range-checks.js';
import { createRequestLog } from '../simulator-kit/request-log.js';
import { sendJson } from '../simulator-kit/respond.js';
import { createRouter } from '../simulator-kit/router.js';
import { startLoopbackServer } from '../simulator-kit/server.js';
import { resolveDatasetKnobs, type SimulatorBaseOptions } from '../simulator-kit/start-options.js';
import { generateSkyhighDataset } from './dataset.js';
import { createSkyhighAuth, type TokenAnswer } from './simulator/auth.js';
import { applyBulkChange, type BulkChange } from './simulator/bulk-change.js';
import { GROUPS, isOpenStatus, type ShnStatus, STATUSES } from './simulator/catalog.js';
import { createHandlers, type Handler } from './simulator/handlers.js';
import { describeQuirks, type SkyhighQuirks, validateQuirks } from './simulator/quirks.js';
import type { ShnIncidentRecord } from './simulator/records.js';
import { createEnvelope } from './simulator/respond.js';

export type { BulkChange } from './simulator/bulk-change.js';
export type { SkyhighQuirks } from './simulator/quirks.js';

export interface SkyhighSimulatorOptions extends SimulatorBaseOptions {
  /** Status changes made in the console per hour after the anchor (re-delivery in the next scan). */
  changesPerHour?: number;
  username?: string;
  password?: string;
  /** When set, token requests must carry it as `bps-tenant-id`. */
  tenantId?: string;
  /** Lifetime of IAM and exchanged tokens (default 900 s; the exchange reports 899). */
  tokenTtlSec?: number;
  /** The silent cap on `limit` (default 500, the current docs; the old swagger said 10,000). */
  maxLimit?: number;
  quirks?: SkyhighQuirks;
  /** A console bulk status change made before the first request: many incidents share one timeModified. */
  bulkChange?: BulkChange;
}

export interface SkyhighSimulator extends SimulatorHandle {
  /** `http://127.0.0.1:<port>/shnapi/rest/external/api`. */
  baseUrl: string;
  origin: string;
  credentials: { username: string; password: string; tenantId: string };
  /** `total` counts every request received, including token requests and 404s. */
  requests(): { total: number; token: number; byRoute: Record<string, number> };
  /** A visible incident as the API would serve it now (never broken by quirks). */
  incident(id: string): ShnIncidentRecord | undefined;
  /** Every visible incident, in the API's order (timeModified, then creation). */
  records(): ShnIncidentRecord[];
  openIncidentCount(): number;
  /** A status change made in the vendor console at the clock's now; false for an unknown id. */
  changeStatus(id: string, status: ShnStatus): boolean;
  /** Every WORKFLOW_STATUS value modifyIncidents received, oldest first. */
  statusSpellings(): readonly string[];
  /** Real-time delay for every API request from now on, on top of `faults.latencyMs`; 0 turns it off. */
  setLatency(ms: number): void;
}

export const SHN_USERNAME_ENV = 'SKYHIGH_SANDBOX_USERNAME';
export const SHN_PASSWORD_ENV = 'SKYHIGH_SANDBOX_PASSWORD';
export const API_BASE = '/shnapi/rest/external/api';
export const QUERY_ROUTE = `POST ${API_BASE}/v1/queryIncidents`;
export const MODIFY_ROUTE = `POST ${API_BASE}/v1/modifyIncidents`;
export const TOKEN_PATH = `${API_BASE}/v1/token`;
export const EXCHANGE_PATH = '/neo/neo-auth-service/oauth/token';

type Route = { handler: Handler; kind: 'api-query' | 'api-info' | 'token' };

export async function startSkyhighSimulator(options: SkyhighSimulatorOptions = {}): Promise<SkyhighSimulator> {
  const clock = createPinnableClock(options.clock ?? systemClock);
  const quirks = options.quirks ?? {};
  validateQuirks(quirks);
  const tokenTtlSec = positiveInteger('tokenTtlSec', options.tokenTtlSec ?? 900);
  const maxLimit = positiveInteger('maxLimit', options.maxLimit ?? 500);
  const credentials = {
    username: options.username ?? 'sandbox.analyst@example.com',
    password: options.password ?? 'sandbox-password',
    tenantId: options.tenantId ?? '',
  };
  const knobs = resolveDatasetKnobs(options, clock);
  const changesPerHour = options.changesPerHour ?? 0;
  const generated = generateSkyhighDataset({ ...knobs, changesPerHour });
  const replaced = quirks.replaceIds ?? [];
  const startMs = clock.now().getTime();
  // Policy (DLP) alerts: what a source lists with its default categories.
  const isOpenAtStart = (p: number) => {
    const core = generated.core(p);
    return isOpenStatus(core.status) && core.createdMs <= startMs && GROUPS[core.group]?.kind === 'dlp';
  };
  const carriers = firstOpenPositions(replaced.length, generated.size(), isOpenAtStart);
  const dataset = withIdsReplaced(generated, replaceIds(replaced, carriers), 'incidentId');
  const bulk = options.bulkChange ? applyBulkChange(dataset, options.bulkChange) : [];
  const auth = createSkyhighAuth({ ...credentials, tokenTtlSec, clock });
  const faults = createFaultInjector(options.faults, clock);
  const log = createRequestLog();
  const envelope = createEnvelope(quirks);
  const handlers = createHandlers(dataset, clock, quirks, envelope, maxLimit);
  const now = () => clock.now().getTime();
  const extraLatency = createExtraLatency();

  const token =
    (issue: (req: IncomingMessage, url: URL) => TokenAnswer): Handler =>
    ({ req, res, url }) => {
      const answer = issue(req, url);
      if (answer.ok) return sendJson(res, 200, answer.body, { 'cache-control': 'no-store' });
      envelope.error(res, answer.status, answer.message);
    };
  const router = createRouter<Route>([
    { method: 'POST', path: TOKEN_PATH, handler: { handler: token(auth.issueIamToken), kind: 'token' } },
    { method: 'POST', path: EXCHANGE_PATH, handler: { handler: token(auth.exchangeIamToken), kind: 'token' } },
    { method: 'POST', path: `${API_BASE}/v1/queryIncidents`, handler: { handler: handlers.query, kind: 'api-query' } },
    {
      method: 'POST',
      path: `${API_BASE}/v1/modifyIncidents`,
      handler: { handler: handlers.modify, kind: 'api-info' },
      mutates: true,
    },
  ]);
  const journaling = createJournaling({
    router,
    clock,
    journal: options.journal,
    dispatch: ({ route, req, res, url }) => {
      if (route.handler.kind !== 'token') dataset.advance(now());
      return route.handler.handler({ req, res, url });
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { url, match } = routeRequest(req, router, log);
    if (match.kind === 'not_found') return envelope.error(res, 404, `no resource at ${url.pathname}`);
    if (match.kind === 'method_not_allowed') {
      return envelope.error(res, 405, `${req.method} is not allowed here`, {
        headers: { allow: match.allow.join(', ') },
      });
    }
    const { kind } = match.route.handler;
    if (kind !== 'token') {
      const shape = kind === 'api-query' ? 'query' : 'info';
      // Gateway order: latency, throttling and 5xx hit before the credentials are even looked at.
      await extraLatency.wait();
      const fault = await faults.next();
      if (fault) return envelope.error(res, fault.status, fault.message, { headers: fault.headers, kind: shape });
      const checked = auth.check(req);
      if (!checked.ok) {
        const headers = { 'www-authenticate': 'Basic realm="shnapi"' };
        return envelope.error(res, 401, checked.message, { headers, kind: shape });
      }
    }
    await journaling.run(match, req, res, url);
  };

  await journaling.replay();
  const server = await startLoopbackServer(handle, { port: options.port });
  const baseUrl = `${server.url}${API_BASE}`;
  const visible = (position: number) => dataset.core(position).createdMs <= now();
  const positionOf = (id: string) => {
    dataset.advance(now());
    const position = dataset.positionOf(id);
    return position !== undefined && visible(position) ? position : undefined;
  };
  const records = () => {
    dataset.advance(now());
    return [...dataset.walkModified(Number.NEGATIVE_INFINITY)].filter(visible).map((p) => dataset.incident(p));
  };
  const openIncidentCount = () => {
    dataset.advance(now());
    let open = 0;
    for (let p = 0; p < dataset.size(); p += 1) if (visible(p) && isOpenStatus(dataset.core(p).status)) open += 1;
    return open;
  };

  return {
    port: server.port,
    baseUrl,
    origin: server.url,
    credentials,
    requests() {
      const { total, byRoute } = log.counts();
      return { total, token: (byRoute[`POST ${TOKEN_PATH}`] ?? 0) + (byRoute[`POST ${EXCHANGE_PATH}`] ?? 0), byRoute };
    },
    incident(id) {
      const position = positionOf(id);
      return position === undefined ? undefined : dataset.incident(position);
    },
    records,
    openIncidentCount,
    changeStatus(id, status) {
      const position = positionOf(id);
      if (position === undefined) return false;
      dataset.setStatus(position, STATUSES.indexOf(status), now());
      return true;
    },
    statusSpellings: handlers.spellings,
    setLatency: extraLatency.set,
    describe: () => [
      'Skyhigh Security incidents API simulator (shnapi; synthetic data)',
      `  base URL:     ${baseUrl}  (POST /v1/queryIncidents?limit=, POST /v1/modifyIncidents)`,
      `  auth:         HTTP Basic ${credentials.username} / ${credentials.password}, or a token from POST /v1/token?grant_type=password&token_type=iam`,
      `  incidents:    ${records().length} visible, ${openIncidentCount()} open (seed ${dataset.seed}, anchor ${dataset.anchor.toISOString()})`,
      `  knobs:        breachedShare ${knobs.breachedShare}, arrivalsPerHour ${knobs.arrivalsPerHour}, changesPerHour ${changesPerHour}, limit cap ${maxLimit}, token TTL ${tokenTtlSec}s`,
      ...(bulk.length
        ? [
            `  bulk change:  ${bulk.length} DLP incidents share timeModified ${options.bulkChange?.at?.toISOString() ?? dataset.anchor.toISOString()}`,
          ]
        : []),
      ...faults.describe().map((line) => `  ${line}`),
      ...describeQuirks(quirks).map((line) => `  ${line}`),
    ],
    sourceConfig: (id) => ({
      id,
      vendor: 'skyhigh',
      baseUrl,
      usernameEnv: SHN_USERNAME_ENV,
      passwordEnv: SHN_PASSWORD_ENV,
    }),
    env: () => ({ [SHN_USERNAME_ENV]: credentials.username, [SHN_PASSWORD_ENV]: credentials.password }),
    close: () => server.close(),
  };
}
