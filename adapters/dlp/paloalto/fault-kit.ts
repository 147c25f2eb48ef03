import type { FaultKit } from '../simulator-kit/faults.js';
import { HOSTILE_IDS } from '../simulator-kit/hostile.js';
import { startPaloAltoSimulator } from './simulator.js';

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startPaloAltoSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startPaloAltoSimulator({ ...o, faults: { errorRate: 1 } }),
  hostileIds: (o) => startPaloAltoSimulator({ ...o, quirks: { replaceIds: HOSTILE_IDS } }),
  getAnswersAnother: (o) => startPaloAltoSimulator({ ...o, quirks: { getAnswersAnother: true } }),
  unreadableWriteAnswers: (o) => startPaloAltoSimulator({ ...o, quirks: { unreadableWriteAnswers: true } }),
};
