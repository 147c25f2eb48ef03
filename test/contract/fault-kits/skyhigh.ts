import { startSkyhighSimulator } from '../../../adapters/dlp/skyhigh/simulator.js';
import type { FaultKit } from './types.js';

export const skyhighFaults: FaultKit = {
  rateLimited: (o) => startSkyhighSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSkyhighSimulator({ ...o, faults: { errorRate: 1 } }),
};
