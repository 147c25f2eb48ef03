import { paloaltoFaults } from './paloalto.js';
import { skyhighFaults } from './skyhigh.js';
import { symantecFaults } from './symantec.js';
import { symphonyFaults } from './symphony.js';
import type { FaultKit } from './types.js';
import { zscalerFaults } from './zscaler.js';

export type { FaultKit, NoKnob, StartSimulator } from './types.js';

/** One fault kit per registered vendor, each in its own file. */
export const FAULT_KITS: Readonly<Record<string, FaultKit>> = {
  paloalto: paloaltoFaults,
  symantec: symantecFaults,
  skyhigh: skyhighFaults,
  symphony: symphonyFaults,
  zscaler: zscalerFaults,
};
