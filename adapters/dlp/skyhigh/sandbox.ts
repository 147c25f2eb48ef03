import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { startSkyhighSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Console
 * changes arrive as often as new incidents, so a long-running sandbox also shows modified incidents re-delivered.
 */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const handle = await startSkyhighSimulator({
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
  // No numeric limits are published (vendor reference §2.8): nothing to enforce, and the description says so.
  return noPublishedLimits(handle, 'Skyhigh', options.faults?.publishedLimits);
}
