import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports/index.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startSymantecSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate --vendor symantec` start it. Basic auth has no tokens, so
 * the vendor-neutral `tokenTtlSec` knob becomes a password that expires that long after start.
 */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const { tokenTtlSec, ...common } = sandboxSimulatorOptions(options);
  const handle = await startSymantecSimulator({ ...common, credentialsTtlSec: tokenTtlSec });
  // No numeric limits are published (vendor reference §1.8): nothing to enforce, and the description says so.
  return noPublishedLimits(handle, 'Broadcom', options.faults?.publishedLimits);
}
