import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports/index.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startSymphonySimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Symphony
 * publishes no rate limits, so `faults.publishedLimits` has nothing to turn on (the description says so). Its API
 * is read-only (violations only), so `journal` has nothing to record: there is no triage state to keep.
 */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const handle = await startSymphonySimulator(sandboxSimulatorOptions(options));
  return noPublishedLimits(handle, 'Symphony', options.faults?.publishedLimits);
}
