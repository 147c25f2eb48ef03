import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { sandboxSimulatorOptions } from '../simulator-kit/start-options.js';
import { startPaloAltoSimulator } from './simulator.js';

/** The simulator as the sandbox and `dlp-bot simulate` start it, with the vendor-neutral knobs mapped. */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startPaloAltoSimulator({
    ...sandboxSimulatorOptions(options),
    api: options.api,
    publishedLimits: options.faults?.publishedLimits,
  });
}
