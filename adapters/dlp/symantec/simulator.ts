import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, type SimulatorHandle, systemClock } from '../../../src/ports/index.js';
import { createFaultInjector } from '../simulator-kit/faults.js';
import { createExtraLatency, routeRequest } from '../simulator-kit/gateway.js';
import { firstOpenPositions, replaceIds } from '../simulator-kit/id-quirks.js';
import { createJournaling } from '../simulator-kit/journal.js';
import { createPinnableClock } from '../simulator-kit/pinnable-clock.js';
import { positiveInteger } from '../simulator-kit/range-checks.js';
import { createRequestLog, type RequestCounts } from '../simulator-kit/request-log.js';
import { parseBasicAuth } from '../simulator-kit/respond.js';
import { createRouter } from '../simulator-kit/router.js';
import { startLoopbackServer } from '../simulator-kit/server.js';
import { type DatasetKnobs, resolveDatasetKnobs, type SimulatorBaseOptions } from '../simulator-kit/start-options.js';
import { generateSymantecDataset, type SymantecDataset } from './dataset.js';
import { DEFAULT_STATUSES, NEW, type StatusDef } from './simulator/catalog.js';
import { sendEnforceError } from './simulator/errors.js';
import { createHandlers, type ReceivedBody, type RequestContext } from './simulator/handlers.js';
import { describeQuirks, type SymantecQuirks, validateQuirks } from './simulator/quirks.js';
import { createSnapshots, type IncidentSnapshot } from './simulator/snapshot.js';

export { DEFAULT_STATUSES, type StatusDef } from './simulator/catalog.js';
export type { ReceivedBody } from './simulator/handlers.js';
export type { SymantecQuirks } from './simulator/quirks.js';
export type { IncidentSnapshot } from './simulator/snapshot.js';

export interface SymantecSimulatorOptions extends SimulatorBaseOptions {
  /** Share (0..1) of all incidents hidden in Enforce (`isHidden`; default 0.05). */
  hiddenShare?: number;
  /** The Enforce server's zone: `localDateTime` values are wall times in it (default UTC). */
  timeZone?: string;
  user?: string;
  password?: string;
  /** The password stops working this many seconds after start (Basic auth has no tokens to expire). */
  credentialsTtlSec?: number;
  /** The deployment's statuses; default Enforce's built-ins plus 161 "SLA Breach". Must include 1 (New). */
  statuses?: readonly StatusDef[];
  quirks?: SymantecQuirks;
}

export interface SymantecSimulator extends SimulatorHandle {
  /** Ends in /ProtectManager/webservices/v2. */
  baseUrl: string;
  credentials: { user: string; password: string };
  timeZone: string;
  requests(): RequestCounts;
  /** The last (up to 200) well-formed JSON bodies of queries and updates, oldest first. */
  receivedBodies(): readonly ReceivedBody[];
  /** One existing incident (hidden ones too) as the simulator holds it, read without HTTP. */
  incident(id: number | string): IncidentSnapshot | undefined;
  /** Every existing incident, hidden ones included, in creation order. */
  incidents(): IncidentSnapshot[];
  statuses(): readonly StatusDef[];
  /** Real-time delay added to every API request from now on, on top of `faults.latencyMs`; 0 turns it off. */
  setLatency(ms: number): void;
}

export const SYMANTEC_USER_ENV = 'SYMANTEC_SANDBOX_USER';
export const SYMANTEC_PASSWORD_ENV = 'SYMANTEC_SANDBOX_PASSWORD';
export const API_ROOT = '/ProtectManager/webservices/v2';

type Route = { handler: (ctx: RequestContext) => Promise<void> | void };

export async function startSymantecSimulator(options: SymantecSimulatorOptions = {}): Promise<SymantecSimulator> {
  const clock = createPinnableClock(options.clock ?? systemClock);
  const quirks = options.quirks ?? {};
  validateQuirks(quirks);
  const statuses = options.statuses ?? DEFAULT_STATUSES;
  if (!statuses.some((s) => s.id === NEW)) throw new RangeError('statuses must include id 1 (New)');
  const ttl = options.credentialsTtlSec;
  if (ttl !== undefined) positiveInteger('credentialsTtlSec', ttl);
  const credentials = { user: options.user ?? 'dlp-bot-api', password: options.password ?? 'sandbox-password' };
  const knobs = resolveDatasetKnobs(options, clock);
  const dataset = generateSymantecDataset({
    ...knobs,
    hiddenShare: options.hiddenShare ?? 0.05,
    timeZone: options.timeZone ?? 'UTC',
  });
  const startedAt = clock.now().getTime();
  const faults = createFaultInjector(options.faults, clock);
  const log = createRequestLog();
  const replaced = quirks.replaceIds ?? [];
  const isOpenAtStart = (p: number) => dataset.status(p) === NEW && !dataset.hidden(p);
  const carriers = firstOpenPositions(replaced.length, dataset.visibleCount(startedAt), isOpenAtStart);
  const handlers = createHandlers(dataset, statuses, clock, quirks, replaceIds(replaced, carriers));
  const extraLatency = createExtraLatency();
  const router = createRouter<Route>(routes(handlers));
  const journaling = createJournaling({
    router,
    clock,
    journal: options.journal,
    dispatch: ({ route, req, res, params }) => route.handler.handler({ req, res, params, user: credentials.user }),
  });

  const authenticate = (header: string | undefined): string | null => {
    const given = parseBasicAuth(header);
    if (given?.user !== credentials.user || given.password !== credentials.password) return 'Authentication failed.';
    if (ttl !== undefined && clock.now().getTime() >= startedAt + ttl * 1000) return 'The password has expired.';
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { url, match } = routeRequest(req, router, log);
    if (match.kind === 'not_found')
      return sendEnforceError(res, 404, `no resource at ${url.pathname}`, 'resource.not.found');
    if (match.kind === 'method_not_allowed') {
      return sendEnforceError(res, 405, `${req.method} is not allowed here`, 'method.not.allowed', {
        allow: match.allow.join(', '),
      });
    }
    await extraLatency.wait();
    // Gateway order: latency, throttling and 5xx hit before the credentials are even looked at.
    const fault = await faults.next();
    if (fault) return sendEnforceError(res, fault.status, fault.message, `simulator.${fault.error}`, fault.headers);
    const refused = authenticate(req.headers.authorization);
    if (refused) {
      return sendEnforceError(res, 401, refused, 'authentication.failed', {
        'www-authenticate': 'Basic realm="ProtectManager"',
      });
    }
    await journaling.run(match, req, res, url);
  };

  await journaling.replay();
  const server = await startLoopbackServer(handle, { port: options.port });
  const baseUrl = `${server.url}${API_ROOT}`;
  const snapshots = createSnapshots(dataset, statuses, () => clock.now().getTime());
  return {
    port: server.port,
    baseUrl,
    credentials,
    timeZone: dataset.timeZone,
    requests: () => log.counts(),
    receivedBodies: () => handlers.received(),
    incident: (id) => snapshots.one(Number(id)),
    incidents: () => snapshots.all(),
    statuses: () => statuses,
    setLatency: extraLatency.set,
    describe: () => describe(baseUrl, credentials, dataset, { ...options, ...knobs }, faults.describe(), clock),
    sourceConfig: (id) => ({
      id,
      vendor: 'symantec',
      baseUrl,
      usernameEnv: SYMANTEC_USER_ENV,
      passwordEnv: SYMANTEC_PASSWORD_ENV,
      timeZone: dataset.timeZone,
    }),
    env: () => ({ [SYMANTEC_USER_ENV]: credentials.user, [SYMANTEC_PASSWORD_ENV]: credentials.password }),
    close: () => server.close(),
  };
}

function routes(h: ReturnType<typeof createHandlers>) {
  const at = (path: string) => `${API_ROOT}${path}`;
  // Clients call the collection with and without a trailing slash (Broadcom's scripts use the slash).
  return [
    ...['/incidents', '/incidents/'].flatMap((path) => [
      { method: 'POST', path: at(path), handler: { handler: h.query } },
      { method: 'PATCH', path: at(path), handler: { handler: h.patch }, mutates: true as const },
    ]),
    { method: 'GET', path: at('/incidents/statuses'), handler: { handler: h.statuses } },
    { method: 'GET', path: at('/incidents/{id}/staticAttributes'), handler: { handler: h.staticAttributes } },
    { method: 'GET', path: at('/incidents/{id}/editableAttributes'), handler: { handler: h.editableAttributes } },
    { method: 'GET', path: at('/incidents/{id}/components/matches'), handler: { handler: h.matches } },
    { method: 'GET', path: at('/incidents/{id}/history'), handler: { handler: h.history } },
  ];
}

function describe(
  baseUrl: string,
  credentials: { user: string; password: string },
  dataset: SymantecDataset,
  options: SymantecSimulatorOptions & Required<DatasetKnobs>,
  faults: string[],
  clock: Clock,
): string[] {
  const visible = dataset.visibleCount(clock.now().getTime());
  let fresh = 0;
  for (let p = 0; p < visible; p += 1) if (dataset.status(p) === NEW && !dataset.hidden(p)) fresh += 1;
  const ttl = options.credentialsTtlSec ? `, password expires after ${options.credentialsTtlSec}s` : '';
  return [
    'Symantec DLP Enforce REST API v2 simulator (synthetic data)',
    `  base URL:     ${baseUrl}  (POST/PATCH /incidents[/], GET /incidents/statuses, /incidents/{id}/…)`,
    `  credentials:  HTTP Basic, user ${credentials.user}, password ${credentials.password}${ttl}`,
    `  incidents:    ${visible} visible, ${fresh} New and not hidden (seed ${dataset.seed}, anchor ${dataset.anchor.toISOString()})`,
    `  server time:  ${dataset.timeZone} (localDateTime values are naive wall times in this zone)`,
    `  knobs:        breachedShare ${options.breachedShare}, hiddenShare ${options.hiddenShare ?? 0.05}, arrivalsPerHour ${options.arrivalsPerHour}`,
    ...faults.map((line) => `  ${line}`),
    ...describeQuirks(options.quirks ?? {}).map((line) => `  ${line}`),
  ];
}
