/** The vendors `npm run bench -- scan` runs, in this order. A new vendor: one file here and one line below. */
import { paloalto } from './paloalto.js';
import { skyhigh } from './skyhigh.js';
import { symantec } from './symantec.js';
import type { BenchVendor } from './types.js';

export const BENCH_VENDORS: readonly BenchVendor[] = [paloalto, symantec, skyhigh];

export function benchVendor(name: string): BenchVendor | undefined {
  return BENCH_VENDORS.find((v) => v.vendor === name);
}
