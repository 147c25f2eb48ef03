import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports/index.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startPaloAltoSimulator } from './simulator.js';

/** The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const handle = await startPaloAltoSimulator({ ...sandboxSimulatorOptions(options), api: options.api });
  // Enterprise DLP documents no rate limits (vendor reference §2.6): nothing to enforce, and the description says so.
  return noPublishedLimits(handle, 'Palo Alto', options.faults?.publishedLimits);
}
