import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startSymphonySimulator } from './simulator.js';

/**
 * The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. Symphony
 * publishes no rate limits, so `faults.publishedLimits` has nothing to turn on (the description says so).
 */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startSymphonySimulator(sandboxSimulatorOptions(options));
}
