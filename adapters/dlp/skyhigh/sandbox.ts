import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports/index.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startSkyhighSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Console
 * changes arrive as often as new incidents, so a long-running sandbox also shows modified incidents re-delivered.
 */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const handle = await startSkyhighSimulator({
    ...sandboxSimulatorOptions(options),
    changesPerHour: options.arrivalsPerHour,
  });
  // No numeric limits are published (vendor reference §2.8): nothing to enforce, and the description says so.
  return noPublishedLimits(handle, 'Skyhigh', options.faults?.publishedLimits);
}
