import { afterAll } from 'vitest';
import { z } from 'zod';
import { createConfigSchema } from '../../src/config/schema.js';
import type { AdapterError } from '../../src/domain/errors.js';
import type { Incident } from '../../src/domain/incident.js';
import { createRequestCounter, type RequestCounter } from '../../src/http/counter.js';
import { silentLogger } from '../../src/log.js';
import {
  type AdapterDefinition,
  type Clock,
  type IncidentPage,
  type IncidentSource,
  type SimulatorHandle,
  type SourceResult,
  systemClock,
} from '../../src/ports/index.js';

export interface SourceOptions {
  /** The configured instance id; default `contract-source` (deliberately not the vendor name). */
  id?: string;
  /** Merged over the simulator's source entry before parsing, e.g. `{ http: { maxRetries: 1 }, pageSize: 7 }`. */
  overrides?: Record<string, unknown>;
  /** Merged over the simulator's environment, e.g. to plant a wrong secret. */
  env?: Record<string, string>;
  clock?: Clock;
  /** Waits on `clock` (a virtual one): pacing and backoff then pass without real waiting. */
  sleep?: (ms: number) => Promise<void>;
  counter?: RequestCounter;
}

/**
 * Builds a source the way the app does: the simulator's config entry and environment go through the real
 * config schema, and the adapter's factory gets the same kind of deps the composition root passes.
 */
export function createSourceFor(
  def: AdapterDefinition,
  handle: SimulatorHandle,
  options: SourceOptions = {},
): IncidentSource {
  const entry = { ...handle.sourceConfig(options.id ?? 'contract-source'), ...options.overrides };
  const env = { ...handle.env(), ...options.env };
  const parsed = createConfigSchema([def.config], env).safeParse({ sources: [entry] });
  if (!parsed.success) throw new Error(`${def.vendor}: source entry rejected:\n${z.prettifyError(parsed.error)}`);
  const [config] = parsed.data.sources;
  if (!config) throw new Error(`${def.vendor}: the config schema dropped the source entry`);
  return def.create(config, {
    logger: silentLogger,
    counter: options.counter ?? createRequestCounter(),
    clock: options.clock ?? systemClock,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}

export interface Collected {
  incidents: Incident[];
  /** Sum of `page.skipped`. */
  skipped: number;
  /** Successful pages before the error (if any). */
  pages: number;
  expectedTotals: (number | null)[];
  error: AdapterError | null;
}

/** Drains a listing. An item after the error breaks the port's contract and throws; so does the listing itself. */
export async function collect(listing: AsyncIterable<SourceResult<IncidentPage>>): Promise<Collected> {
  const out: Collected = { incidents: [], skipped: 0, pages: 0, expectedTotals: [], error: null };
  for await (const item of listing) {
    if (out.error) throw new Error(`listOpen yielded again after its error (${out.error.code})`);
    if (!item.ok) {
      out.error = item.error;
      continue;
    }
    out.pages += 1;
    out.incidents.push(...item.value.incidents);
    out.skipped += item.value.skipped;
    out.expectedTotals.push(item.value.expectedTotal);
  }
  return out;
}

/** The error of a result that must have failed; throws (failing the test) if it succeeded. */
export function errorOf(result: SourceResult<unknown>): AdapterError {
  if (result.ok) throw new Error(`expected an error result, got ok: ${JSON.stringify(result.value)?.slice(0, 200)}`);
  return result.error;
}

/** The value of a result that must have succeeded; throws with the adapter's error otherwise. */
export function okValue<T>(result: SourceResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Registers an afterAll that closes everything handed to the returned function (sources, simulators). */
export function closeAfterAll(): <T extends { close(): Promise<void> }>(closable: T) => T {
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    // Sources first: their pools hold keep-alive sockets to the simulators.
    const [first, rest] = [open.filter(isSource), open.filter((c) => !isSource(c))];
    await Promise.allSettled(first.map((c) => c.close()));
    await Promise.allSettled(rest.map((c) => c.close()));
  });
  return (closable) => {
    open.push(closable);
    return closable;
  };
}

const isSource = (value: object): value is IncidentSource => 'listOpen' in value;

/** The sandbox's source ids, in its order: one per vendor API, the default API under the vendor's own name. */
export function sandboxSourceIds(adapters: readonly AdapterDefinition[]): string[] {
  return adapters
    .filter((a) => a.startSimulator)
    .flatMap((a) =>
      (a.apis?.length ? a.apis : [undefined]).map((api, i) => (i === 0 ? a.vendor : `${a.vendor}-${api}`)),
    );
}
