export { createFaultInjector, type Fault, type FaultInjector, type FaultOptions } from './faults.js';
export { createExtraLatency, type ExtraLatency, routeRequest } from './gateway.js';
export { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from './hostile.js';
export {
  captureBody,
  createJournaling,
  type Dispatch,
  type DispatchContext,
  type Journaling,
  type ReplayResult,
  replayableRequest,
} from './journal.js';
export { createPinnableClock, type PinnableClock } from './pinnable-clock.js';
export { createRng, hashSeed, mulberry32, type Rng } from './prng.js';
export { noPublishedLimits } from './published-limits.js';
export { finiteRate, incidentCountWithin, positiveInteger, shareWithinOne } from './range-checks.js';
export { type Admission, createRateWindows, type PublishedLimit, type RateWindows } from './rate-windows.js';
export {
  createRequestLog,
  type RequestCounts,
  type RequestLog,
  type RequestLogEntry,
} from './request-log.js';
export { type BasicCredentials, parseBasicAuth, parseBearer, readBody, sendJson, sendText } from './respond.js';
export { createRouter, type Route, type RouteMatch, type Router, type RouteSpec } from './router.js';
export { type LoopbackServer, type LoopbackServerOptions, type RequestHandler, startLoopbackServer } from './server.js';
export {
  type DatasetKnobs,
  resolveDatasetKnobs,
  type SimulatorBaseOptions,
  sandboxSimulatorOptions,
} from './start-options.js';
export { floorToSecond, isoSeconds, parseDateTime } from './time.js';
