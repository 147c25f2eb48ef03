export { type BearerAuthOptions, createBearerAuth, type FetchedToken } from './bearer-auth.js';
export { createHttpClient } from './client.js';
export { createRequestCounter, type RequestCounter, type SourceRequestCounts } from './counter.js';
export {
  createEgressDispatcher,
  describeEgress,
  type EgressAgentOptions,
  egressFromEnv,
  fetchThrough,
} from './egress.js';
export { createPacer, type PaceLimits, type Pacer, type PacerOptions } from './pacer.js';
export { type SourceClientBase, sourceClientBase } from './source-client-base.js';
export { codeForStatus } from './status-table.js';
export type * from './types.js';
export { idLink, idSegment } from './url.js';
export { type ResponseValidator, responseValidator } from './validated.js';
