import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { symphony } from '../../adapters/dlp/symphony/index.js';
import {
  type SymphonySimulator,
  type SymphonySimulatorOptions,
  startSymphonySimulator,
} from '../../adapters/dlp/symphony/simulator.js';
import { createConfigSchema } from '../../src/config/schema.js';
import { createRequestCounter } from '../../src/http/counter.js';
import type { Clock, IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll } from './adapters.js';

export const ANCHOR = new Date('2026-11-23T10:00:00Z');

/** One RSA key for a test file: generating one per simulator would dominate the run time. */
export const TEST_KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

type Json = Record<string, unknown>;

/** Simulators and sources closed after the file's tests; sources share the simulator's clock. */
export function symphonyHarness() {
  const track = closeAfterAll();
  return {
    start: async (options: SymphonySimulatorOptions = {}) =>
      track(
        await startSymphonySimulator({
          seed: 7,
          incidents: 120,
          anchor: ANCHOR,
          privateKeyPem: TEST_KEY_PEM,
          ...options,
        }),
      ),
    /** A source built through the real config schema; `env` is merged over the simulator's. */
    source(sim: SymphonySimulator, clock: Clock, overrides: Json = {}, env: Record<string, string> = {}) {
      const lines: Json[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Json) });
      const entry = { ...sim.sourceConfig('sym-test'), ...overrides };
      const parsed = createConfigSchema([symphony.config], { ...sim.env(), ...env }).parse({ sources: [entry] });
      const [config] = parsed.sources;
      if (!config) throw new Error('no source');
      const source = track(
        symphony.create(config, { logger, counter: createRequestCounter(), clock }) as IncidentSource,
      );
      return { source, lines };
    },
  };
}

/** What the agent served, by endpoint: `enforcementEventID`s in order. */
export const servedIds = (sim: SymphonySimulator, kind: 'message' | 'stream' | 'signal') =>
  sim.violations(kind).map((item) => String((item.violation as Json).enforcementEventID));
