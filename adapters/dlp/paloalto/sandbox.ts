import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';
import { startPaloAltoSimulator } from './simulator.js';

/** The simulator as the sandbox and `dlp-bot simulate` start it: default knobs, no faults. */
export function startSandboxSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  return startPaloAltoSimulator({
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    clock: options.clock,
  });
}
