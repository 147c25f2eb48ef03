import type { FaultKit } from '../simulator-kit/faults.js';
import { HOSTILE_IDS } from '../simulator-kit/hostile.js';
import { startSymantecSimulator } from './simulator.js';

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startSymantecSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSymantecSimulator({ ...o, faults: { errorRate: 1 } }),
  hostileIds: (o) => startSymantecSimulator({ ...o, quirks: { replaceIds: HOSTILE_IDS } }),
  getAnswersAnother: (o) => startSymantecSimulator({ ...o, quirks: { getAnswersAnother: true } }),
  unreadableWriteAnswers: (o) => startSymantecSimulator({ ...o, quirks: { unreadableWriteAnswers: true } }),
};
