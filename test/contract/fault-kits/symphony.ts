import { generateKeyPairSync } from 'node:crypto';
import { startSymphonySimulator } from '../../../adapters/dlp/symphony/simulator.js';
import type { FaultKit } from './types.js';

/** A well-formed RSA key that is not the one registered for the service account. */
const unregisteredKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export const symphonyFaults: FaultKit = {
  rateLimited: (o) => startSymphonySimulator({ ...o, faults: { rateLimitShare: 1, retryAfterSec: 3 } }),
  serverError: (o) => startSymphonySimulator({ ...o, faults: { errorRate: 1 } }),
  wrongCredentials: (env) => Object.fromEntries(Object.keys(env).map((name) => [name, unregisteredKey()])),
};
