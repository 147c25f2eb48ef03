import { startSymphonySimulator } from '../../../adapters/dlp/symphony/simulator.js';
import type { FaultKit } from './types.js';

export const symphonyFaults: FaultKit = {
  rateLimited: (o) => startSymphonySimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSymphonySimulator({ ...o, faults: { errorRate: 1 } }),
};
