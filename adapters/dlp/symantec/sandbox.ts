import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { startSymantecSimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate --vendor symantec` start it. Basic auth has no tokens, so
 * the vendor-neutral `tokenTtlSec` knob becomes a password that expires that long after start.
 */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startSymantecSimulator({
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
}
