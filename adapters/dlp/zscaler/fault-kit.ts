import type { FaultKit } from '../simulator-kit/faults.js';
import { startZscalerSimulator } from './simulator.js';

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startZscalerSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startZscalerSimulator({ ...o, faults: { errorRate: 1 } }),
};
