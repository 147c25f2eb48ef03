import type { SimulatorHandle, SimulatorStartOptions } from '../../../src/ports.js';

export type StartSimulator = (options: SimulatorStartOptions) => Promise<SimulatorHandle>;
/** A knob the vendor's simulator cannot turn; the reason shows up in the test report as a todo. */
export type NoKnob = { noKnob: string };

/** Simulators that misbehave on demand; `startSimulator` (the sandbox's) has no fault knobs. */
export interface FaultKit {
  /** Every API request is answered 429 with `Retry-After: 3` (seconds). */
  rateLimited: StartSimulator | NoKnob;
  /** Every API request is answered 500. */
  serverError: StartSimulator | NoKnob;
  /**
   * Credentials the config accepts but the vendor refuses, from the simulator's env. Default: each value with
   * `-wrong` appended; a vendor whose config checks a credential's form (a PEM key) needs a well-formed wrong one.
   */
  wrongCredentials?: (env: Record<string, string>) => Record<string, string>;
}
