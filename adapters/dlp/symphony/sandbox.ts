import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { startSymphonySimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Symphony
 * publishes no rate limits, so `faults.publishedLimits` has nothing to turn on (the description says so).
 */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startSymphonySimulator({
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    breachedShare: options.breachedShare,
    tokenTtlSec: options.faults?.tokenTtlSec,
    faults: {
      latencyMs: options.faults?.latencyMs,
      errorRate: options.faults?.errorRate,
      limitPerMinute: options.faults?.limitPerMinute,
    },
    clock: options.clock,
  });
}
