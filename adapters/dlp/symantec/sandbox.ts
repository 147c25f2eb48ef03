import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { noPublishedLimits } from '../simulator-kit/published-limits.js';
import { startSymantecSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate --vendor symantec` start it. Basic auth has no tokens, so
 * the vendor-neutral `tokenTtlSec` knob becomes a password that expires that long after start.
 */
export async function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const handle = await startSymantecSimulator({
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    breachedShare: options.breachedShare,
    credentialsTtlSec: options.faults?.tokenTtlSec,
    faults: {
      latencyMs: options.faults?.latencyMs,
      errorRate: options.faults?.errorRate,
      limitPerMinute: options.faults?.limitPerMinute,
    },
    clock: options.clock,
  });
  // No numeric limits are published (vendor reference §1.8): nothing to enforce, and the description says so.
  return noPublishedLimits(handle, 'Broadcom', options.faults?.publishedLimits);
}
