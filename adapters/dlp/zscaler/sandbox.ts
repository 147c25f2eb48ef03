import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports/index.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startZscalerSimulator } from './simulator.js';

/** The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startZscalerSimulator({
    ...sandboxSimulatorOptions(options),
    publishedLimits: options.faults?.publishedLimits,
  });
}
