/** The vendors `npm run bench -- scan` runs, in this order. A new vendor: one file here and one line below. */
import { paloalto } from './paloalto.js';
import { paloaltoPublished } from './paloalto-published.js';
import { skyhigh } from './skyhigh.js';
import { symantec } from './symantec.js';
import { symphony } from './symphony.js';
import type { BenchVendor } from './types.js';
import { zscaler } from './zscaler.js';

export const BENCH_VENDORS: readonly BenchVendor[] = [
  paloalto,
  symantec,
  skyhigh,
  zscaler,
  symphony,
  paloaltoPublished,
];

export function benchVendor(name: string): BenchVendor | undefined {
  return BENCH_VENDORS.find((v) => v.vendor === name);
}
