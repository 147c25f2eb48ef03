import type { FaultKit } from '../simulator-kit/faults.js';
import { HOSTILE_IDS } from '../simulator-kit/hostile.js';
import { startSkyhighSimulator } from './simulator.js';

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startSkyhighSimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSkyhighSimulator({ ...o, faults: { errorRate: 1 } }),
  hostileIds: (o) => startSkyhighSimulator({ ...o, quirks: { replaceIds: HOSTILE_IDS } }),
  getAnswersAnother: { noKnob: 'Skyhigh has no read by id: the lookup lists a time window and matches ids itself' },
  unreadableWriteAnswers: (o) => startSkyhighSimulator({ ...o, quirks: { unreadableWriteAnswers: true } }),
};
