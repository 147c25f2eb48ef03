import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { startZscalerSimulator } from './simulator.js';

/** The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startZscalerSimulator({
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    breachedShare: options.breachedShare,
    tokenTtlSec: options.faults?.tokenTtlSec,
    publishedLimits: options.faults?.publishedLimits,
    faults: {
      latencyMs: options.faults?.latencyMs,
      errorRate: options.faults?.errorRate,
      limitPerMinute: options.faults?.limitPerMinute,
    },
    clock: options.clock,
  });
}
