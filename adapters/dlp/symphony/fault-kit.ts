import { generateKeyPairSync } from 'node:crypto';
import type { FaultKit } from '../simulator-kit/faults.js';
import { HOSTILE_IDS } from '../simulator-kit/hostile.js';
import { startSymphonySimulator } from './simulator.js';

let unregistered: string | undefined;
/** A well-formed RSA key that is not the one registered for the service account (made once: RSA pairs are slow). */
const unregisteredKey = () => {
  unregistered ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return unregistered;
};

/** For the generic contract test only (see `FaultKit` in simulator-kit/faults.ts). */
export const faultKit: FaultKit = {
  rateLimited: (o) => startSymphonySimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSymphonySimulator({ ...o, faults: { errorRate: 1 } }),
  hostileIds: (o) => startSymphonySimulator({ ...o, quirks: { replaceIds: HOSTILE_IDS } }),
  getAnswersAnother: { noKnob: 'Symphony has no read by id: the lookup lists a time window and matches ids itself' },
  unreadableWriteAnswers: { noKnob: "Symphony's violations API is read-only" },
  wrongCredentials: (env) => Object.fromEntries(Object.keys(env).map((name) => [name, unregisteredKey()])),
};
