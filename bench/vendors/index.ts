/**
 * The vendors `npm run bench -- scan` runs: each registered adapter's `adapters/dlp/<vendor>/bench.ts` (its
 * `benchKits`), in registry order. A new vendor needs nothing here.
 */
import { ADAPTERS } from '../../adapters/dlp/index.js';
import type { BenchVendor } from '../../adapters/dlp/simulator-kit/bench-kit.js';

/** Found by the adapter's vendor id, loaded only by the benchmark; a registered vendor without one is an error. */
async function benchKitsOf(vendor: string): Promise<readonly BenchVendor[]> {
  // A specifier built at run time: it resolves next to this file both compiled (dist/) and under vitest.
  const specifier = `../../adapters/dlp/${vendor}/bench.js`;
  const module: { benchKits?: readonly BenchVendor[] } = await import(specifier);
  if (!module.benchKits?.length) throw new Error(`adapters/dlp/${vendor}/bench.ts exports no benchKits`);
  return module.benchKits;
}

let loaded: Promise<readonly BenchVendor[]> | undefined;

export function loadBenchVendors(): Promise<readonly BenchVendor[]> {
  loaded ??= Promise.all(ADAPTERS.map((a) => benchKitsOf(a.vendor))).then((kits) => kits.flat());
  return loaded;
}

export async function benchVendor(name: string): Promise<BenchVendor | undefined> {
  return (await loadBenchVendors()).find((v) => v.vendor === name);
}
