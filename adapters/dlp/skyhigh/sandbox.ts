import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { startSkyhighSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Console
 * changes arrive as often as new incidents, so a long-running sandbox also shows modified incidents re-delivered.
 */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startSkyhighSimulator({
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    changesPerHour: options.arrivalsPerHour,
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
