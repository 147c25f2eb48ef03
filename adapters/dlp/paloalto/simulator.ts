import type { IncomingMessage, ServerResponse } from 'node:http';
import { type SimulatorHandle, systemClock } from '../../../src/ports/index.js';
import { createFaultInjector } from '../simulator-kit/faults.js';
import { createExtraLatency, routeRequest } from '../simulator-kit/gateway.js';
import { firstOpenPositions, replaceIds } from '../simulator-kit/id-quirks.js';
import { createJournaling } from '../simulator-kit/journal.js';
import { createPinnableClock } from '../simulator-kit/pinnable-clock.js';
import { positiveInteger } from '../simulator-kit/range-checks.js';
import { createRequestLog } from '../simulator-kit/request-log.js';
import { createRouter } from '../simulator-kit/router.js';
import { startLoopbackServer } from '../simulator-kit/server.js';
import { resolveDatasetKnobs, type SimulatorBaseOptions } from '../simulator-kit/start-options.js';
import { generatePaloAltoDataset } from './dataset.js';
import { createTokenService } from './simulator/auth.js';
import { OPEN } from './simulator/catalog.js';
import { withEvidenceMarker } from './simulator/evidence-marker.js';
import { createIncidentHandlers, type Handler, sendPanError } from './simulator/incidents.js';
import { detail, incidentIdOf, positionOfIncident } from './simulator/published/records.js';
import { publishedRoutes } from './simulator/published/routes.js';
import { createPublishedState, seedAssignees } from './simulator/published/state.js';
import { describeQuirks, type PaloAltoQuirks, validateQuirks } from './simulator/quirks.js';
import { withReplacedIds } from './simulator/replaced-ids.js';
import {
  describeApi,
  isSimulatorApi,
  type SimulatorApi,
  type SimulatorEndpoints,
  simulatorSourceConfig,
} from './simulator/source-config.js';

export type { PaloAltoQuirks } from './simulator/quirks.js';

export interface PaloAltoSimulatorOptions extends SimulatorBaseOptions {
  clientId?: string;
  clientSecret?: string;
  /** Required as `scope=tsg_id:<id>` on token requests; '' makes the scope optional. */
  tsgId?: string;
  tokenTtlSec?: number;
  quirks?: PaloAltoQuirks;
  /** Put into every snippet and an unknown `matched_content` field of every record (evidence-leak tests). */
  evidenceMarker?: string;
  /** Which API `sourceConfig()` points at; both are always served, from the same dataset. Default `seed`. */
  api?: SimulatorApi | (string & {});
}

export interface PaloAltoSimulator extends SimulatorHandle {
  baseUrl: string;
  /** The server's root: the published API's paths (`/v2/api/…`, `/v1/…`) start here. */
  publishedBaseUrl: string;
  tokenUrl: string;
  credentials: { clientId: string; clientSecret: string; tsgId: string };
  /** `total` counts every request received, including token requests and 404s. */
  requests(): { total: number; token: number; byRoute: Record<string, number> };
  incident(id: string): Readonly<Record<string, unknown>> | undefined;
  openIncidentCount(): number;
  /** The published API's id for the n-th record (0-based, in time order), visible or not. */
  publishedIdAt(position: number): string;
  /** A record as the published API's detail shows it now, if visible. */
  publishedIncident(id: string): Readonly<Record<string, unknown>> | undefined;
  /**
   * Real-time delay for every API request (not token requests) received from now on, on top of
   * `faults.latencyMs`; 0 turns it off. Lets a benchmark scan fast, then make triage calls slow.
   */
  setLatency(ms: number): void;
}

export const PAN_CLIENT_ID_ENV = 'PAN_SANDBOX_CLIENT_ID';
export const PAN_CLIENT_SECRET_ENV = 'PAN_SANDBOX_CLIENT_SECRET';
const TOKEN_PATH = '/oauth2/access_token';
const TOKEN_ROUTE = `POST ${TOKEN_PATH}`;

type Route = { handler: Handler; authenticated: boolean };

export async function startPaloAltoSimulator(options: PaloAltoSimulatorOptions = {}): Promise<PaloAltoSimulator> {
  const clock = createPinnableClock(options.clock ?? systemClock);
  const quirks = options.quirks ?? {};
  validateQuirks(quirks);
  const tokenTtlSec = positiveInteger('tokenTtlSec', options.tokenTtlSec ?? 900);
  const credentials = {
    clientId: options.clientId ?? 'sandbox-client',
    clientSecret: options.clientSecret ?? 'sandbox-secret',
    tsgId: options.tsgId ?? '1234567890',
  };
  const knobs = resolveDatasetKnobs(options, clock);
  const generated = withEvidenceMarker(generatePaloAltoDataset(knobs), options.evidenceMarker);
  const replaced = quirks.replaceIds ?? [];
  const isOpen = (position: number) => generated.statusAt(position) === OPEN;
  const carriers = firstOpenPositions(replaced.length, generated.visibleCount(clock.now().getTime()), isOpen);
  const dataset = withReplacedIds(generated, replaceIds(replaced, carriers));
  const auth = createTokenService({ ...credentials, tokenTtlSec, clock });
  const faults = createFaultInjector(options.faults, clock);
  const log = createRequestLog();
  const incidents = createIncidentHandlers(dataset, clock, quirks);
  const published = createPublishedState(dataset, seedAssignees(dataset.seed));
  const api = options.api ?? 'seed';
  if (!isSimulatorApi(api)) throw new RangeError(`api must be seed or published, not ${api}`);
  const extraLatency = createExtraLatency();
  const router = createRouter<Route>([
    {
      method: 'POST',
      path: TOKEN_PATH,
      handler: { handler: (c) => auth.handleTokenRequest(c.req, c.res), authenticated: false },
    },
    { method: 'GET', path: '/v4/incidents', handler: { handler: incidents.list, authenticated: true } },
    { method: 'GET', path: '/v4/incidents/{incident_id}', handler: { handler: incidents.get, authenticated: true } },
    {
      method: 'PUT',
      path: '/v4/incidents/{incident_id}',
      handler: { handler: incidents.update, authenticated: true },
      mutates: true,
    },
    {
      method: 'GET',
      path: '/v4/incidents/{incident_id}/snippets',
      handler: { handler: incidents.snippets, authenticated: true },
    },
    ...publishedRoutes(dataset, published, clock, quirks),
  ]);
  const journaling = createJournaling({
    router,
    clock,
    journal: options.journal,
    dispatch: ({ route, req, res, url, params }) => route.handler.handler({ req, res, url, params }),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { url, match } = routeRequest(req, router, log);
    if (match.kind === 'not_found') return sendPanError(res, 404, 'not_found', `no route for ${url.pathname}`);
    if (match.kind === 'method_not_allowed') {
      return sendPanError(res, 405, 'method_not_allowed', `${req.method} is not allowed here`, {
        allow: match.allow.join(', '),
      });
    }
    const { authenticated } = match.route.handler;
    if (authenticated) {
      // Gateway order: faults (latency, throttling, 5xx) hit before the token is even looked at.
      await extraLatency.wait();
      const fault = await faults.next();
      if (fault) return sendPanError(res, fault.status, fault.error, fault.message, fault.headers);
      const bearer = auth.checkBearer(req.headers.authorization);
      if (!bearer.ok) {
        return sendPanError(res, 401, bearer.error, bearer.message, {
          'www-authenticate': `Bearer error="${bearer.error}"`,
        });
      }
    }
    await journaling.run(match, req, res, url);
  };

  await journaling.replay();
  const server = await startLoopbackServer(handle, { port: options.port });
  const baseUrl = `${server.url}/v4`;
  const tokenUrl = `${server.url}${TOKEN_PATH}`;
  const endpoints: SimulatorEndpoints = {
    api,
    seedBaseUrl: baseUrl,
    publishedBaseUrl: server.url,
    tokenUrl,
    credentials,
    env: { clientId: PAN_CLIENT_ID_ENV, clientSecret: PAN_CLIENT_SECRET_ENV },
  };
  const now = () => clock.now().getTime();
  const openIncidentCount = () => {
    const visible = dataset.visibleCount(now());
    let open = 0;
    for (let p = 0; p < visible; p += 1) if (dataset.statusAt(p) === OPEN) open += 1;
    return open;
  };

  return {
    port: server.port,
    baseUrl,
    tokenUrl,
    credentials,
    requests() {
      const { total, byRoute } = log.counts();
      return { total, token: byRoute[TOKEN_ROUTE] ?? 0, byRoute };
    },
    incident(id) {
      const position = dataset.positionOf(id);
      return position !== undefined && position < dataset.visibleCount(now()) ? dataset.incident(position) : undefined;
    },
    publishedBaseUrl: server.url,
    openIncidentCount,
    publishedIdAt: (position) => incidentIdOf(dataset, position),
    publishedIncident(id) {
      const position = positionOfIncident(dataset, id);
      const visible = position !== undefined && position < dataset.visibleCount(now());
      return visible ? detail(dataset, published, position) : undefined;
    },
    setLatency: extraLatency.set,
    describe: () => [
      `Palo Alto Networks Enterprise DLP simulator, ${api === 'seed' ? 'seed OpenAPI v4 shape' : 'published API (pan.dev)'}; synthetic data`,
      ...describeApi(endpoints),
      `  incidents:    ${dataset.visibleCount(now())} visible, ${openIncidentCount()} open (seed ${dataset.seed}, anchor ${dataset.anchor.toISOString()})`,
      `  knobs:        breachedShare ${knobs.breachedShare}, arrivalsPerHour ${knobs.arrivalsPerHour}, token TTL ${tokenTtlSec}s`,
      ...faults.describe().map((line) => `  ${line}`),
      ...describeQuirks(quirks).map((line) => `  ${line}`),
    ],
    sourceConfig: (id) => simulatorSourceConfig(endpoints, id),
    env: () => ({ [PAN_CLIENT_ID_ENV]: credentials.clientId, [PAN_CLIENT_SECRET_ENV]: credentials.clientSecret }),
    close: () => server.close(),
  };
}
