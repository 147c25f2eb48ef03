import { startSymantecSimulator } from '../../../adapters/dlp/symantec/simulator.js';
import type { FaultKit } from './types.js';

export const symantecFaults: FaultKit = {
  rateLimited: (o) => startSymantecSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSymantecSimulator({ ...o, faults: { errorRate: 1 } }),
};
