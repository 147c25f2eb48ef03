import { startZscalerSimulator } from '../../../adapters/dlp/zscaler/simulator.js';
import type { FaultKit } from './types.js';

export const zscalerFaults: FaultKit = {
  rateLimited: (o) => startZscalerSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startZscalerSimulator({ ...o, faults: { errorRate: 1 } }),
};
