import { existsSync } from 'node:fs';
import { afterAll, expect } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import type { FaultKit, NoKnob, StartSimulator } from '../../adapters/dlp/simulator-kit/faults.js';
import { type AdapterError, isAdapterError } from '../../src/domain/errors.js';
import type { Actor, AdapterDefinition, IncidentSource, SimulatorHandle } from '../../src/ports/index.js';
import { createSourceFor } from './adapters.js';
import { fixedClock } from './fixed-clock.js';

/** What the contract tests over every registered adapter share (test/contract/adapters*.test.ts). */

export const VENDORS_DIR = new URL('../../adapters/dlp/', import.meta.url);
export const faultKitFile = (vendor: string) => new URL(`${vendor}/fault-kit.ts`, VENDORS_DIR);

/** Each vendor's `adapters/dlp/<vendor>/fault-kit.ts`, by the adapter's vendor id; missing ones fail the contract. */
export const FAULT_KITS = new Map<string, FaultKit>();
for (const { vendor } of ADAPTERS) {
  if (!existsSync(faultKitFile(vendor))) continue;
  const module: { faultKit?: FaultKit } = await import(faultKitFile(vendor).href);
  if (module.faultKit) FAULT_KITS.set(vendor, module.faultKit);
}

export const ANCHOR = '2026-11-23T10:00:00Z';
const SIM_OPTIONS = { seed: 42, incidents: 150 } as const;
/** Fail fast: the error-mapping tests want the mapped code, not the retry loop. */
export const NO_RETRIES = { http: { maxRetries: 0 } };
export const ACTOR: Actor = { email: 'contract@example.com', display: 'Contract Test' };

/** Every adapter once per API it can talk to (`apis`, default first); `undefined` leaves the choice to it. */
export const CASES = ADAPTERS.flatMap((def) =>
  (def.apis?.length ? def.apis : [undefined]).map(
    (api) => [api ? `${def.vendor} (api: ${api})` : def.vendor, def, api] as const,
  ),
);

export const isAvailable = <T>(value: T | NoKnob): value is T =>
  !(typeof value === 'object' && value !== null && 'noKnob' in value);

export const expectCode = (error: AdapterError | null | undefined, code: AdapterError['code']) => {
  expect(error, 'expected an error result').toBeTruthy();
  expect(isAdapterError(error)).toBe(true);
  expect(error?.code, error?.message).toBe(code);
  expect(error?.message.length).toBeGreaterThan(0);
};

/** Simulators and sources for one adapter's contract (inside its `describe`), all closed after it. */
export function useContractSimulators(def: AdapterDefinition, api: string | undefined) {
  const handles: SimulatorHandle[] = [];
  const sources: IncidentSource[] = [];
  const clock = fixedClock(ANCHOR);
  afterAll(async () => {
    await Promise.allSettled(sources.map((s) => s.close()));
    await Promise.allSettled(handles.map((h) => h.close()));
  });
  async function simulate(start: StartSimulator | undefined = def.startSimulator?.bind(def)) {
    if (!start) throw new Error(`${def.vendor} ships no simulator: every adapter needs one for this contract`);
    const handle = await start({ ...SIM_OPTIONS, anchor: new Date(ANCHOR), clock, api });
    handles.push(handle);
    return handle;
  }
  function sourceFor(handle: SimulatorHandle, options: Parameters<typeof createSourceFor>[2] = {}) {
    const source = createSourceFor(def, handle, { clock, ...options });
    sources.push(source);
    return source;
  }
  return { clock, simulate, sourceFor };
}
