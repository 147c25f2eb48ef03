import type { FaultKit } from '../simulator-kit/faults.js';
import { HOSTILE_IDS } from '../simulator-kit/hostile.js';
import { startZscalerSimulator } from './simulator.js';

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startZscalerSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startZscalerSimulator({ ...o, faults: { errorRate: 1 } }),
  hostileIds: (o) => startZscalerSimulator({ ...o, quirks: { replaceIds: HOSTILE_IDS } }),
  getAnswersAnother: (o) => startZscalerSimulator({ ...o, quirks: { getAnswersAnother: true } }),
  unreadableWriteAnswers: (o) => startZscalerSimulator({ ...o, quirks: { unreadableWriteAnswers: true } }),
};
