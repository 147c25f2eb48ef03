import { startPaloAltoSimulator } from '../../../adapters/dlp/paloalto/simulator.js';
import type { FaultKit } from './types.js';

export const paloaltoFaults: FaultKit = {
  rateLimited: (o) => startPaloAltoSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startPaloAltoSimulator({ ...o, faults: { errorRate: 1 } }),
};
