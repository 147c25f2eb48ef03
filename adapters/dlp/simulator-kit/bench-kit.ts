/**
 * What the scan benchmark needs to know about one vendor: how to serve a dataset from its simulator (in the
 * simulator child), which source entry a user would point at it, and what a correct client must send to read
 * that dataset through the vendor's documented API. Each vendor's `adapters/dlp/<vendor>/bench.ts` exports its
 * `benchKits` (one per API worth benchmarking); only `npm run bench` loads them (bench/vendors/index.ts).
 */
import type { SimulatorHandle } from '../../../src/ports/index.js';

/** The dataset the parent asks for; every vendor's generator is deterministic in these. */
export interface DatasetSpec {
  incidents: number;
  seed: number;
  breachedShare: number;
  /** The dataset's "now"; every generated record is visible from this instant on. */
  anchorMs: number;
}

/**
 * The spec as every vendor simulator's (and dataset generator's) options: no arrivals, so the dataset the
 * parent counted is the one the scan reads.
 */
export function datasetOptions(spec: DatasetSpec) {
  return {
    seed: spec.seed,
    incidents: spec.incidents,
    anchor: new Date(spec.anchorMs),
    breachedShare: spec.breachedShare,
    arrivalsPerHour: 0,
  };
}

export interface ServedDataset<Facts> {
  simulator: SimulatorHandle;
  /** Every request received, token requests (0 for Basic-auth vendors) and errors included. */
  requests(): { total: number; token: number; byRoute: Record<string, number> };
  /**
   * What the served dataset holds, read from the simulator's own records without HTTP (or from a second copy
   * generated with the same options), so counting sends no request the benchmark would have to subtract.
   * Plain JSON: it crosses the IPC channel.
   */
  facts: Facts;
}

/** What the dataset forces on any correct client, derived from the facts alone (never from the adapter). */
export interface Expected {
  /** Incidents the listing yields to the scan (all records, or the open ones for vendors filtering client-side). */
  fetched: number;
  /** Fewest API requests (tokens excluded) that read the whole dataset through the documented API. */
  minApiRequests: number;
  /** How `minApiRequests` adds up, by kind of request. */
  breakdown: Record<string, number>;
  tokenRequests: number;
  /** Small, printable facts for the report (status mix, records read). */
  dataset: Record<string, unknown>;
  /** Cross-checks of the facts themselves; any false fails the run. */
  checks: Record<string, boolean>;
}

export interface BenchVendor<Facts = unknown> {
  vendor: string;
  /** Chosen so one run takes seconds, not minutes, on the shared 2-core machine. */
  defaults: { incidents: number; pageSize: number };
  /** The vendor's documented cap on records per list request. */
  maxPageSize: number;
  /** Why the default is what it is, for the usage text. */
  note: string;
  /** Runs in the simulator child only: import the simulator dynamically so the scanning process never loads it. */
  serve(spec: DatasetSpec): Promise<ServedDataset<Facts>>;
  /** The source entry a user would write: the simulator's own entry plus what makes the scan read everything. */
  source(entry: Record<string, unknown>, facts: Facts, pageSize: number): Record<string, unknown>;
  expect(facts: Facts, spec: DatasetSpec, pageSize: number): Expected;
  /**
   * Requests the API forces per card the first scan draws (its announcements), beyond `expect`: a field the card
   * shows that no listing can select (Symantec's assignee, one editableAttributes read each). Omitted: none.
   */
  requestsPerCard?: number;
}

/** Erases the facts type for the registry; each vendor file keeps its own facts consistent on both sides. */
export const defineBenchVendor = <Facts>(vendor: BenchVendor<Facts>): BenchVendor => vendor;

/**
 * Requests to page through `records` records when every answer says whether another page follows (a total, a
 * page count or a null cursor): ceil(records / pageSize), and one even when there is nothing (the client cannot
 * know before asking).
 */
export const pagesKnowingTotal = (records: number, pageSize: number): number =>
  Math.max(1, Math.ceil(records / pageSize));

const DAY_MS = 86_400_000;

/** The lookback (whole days back from the anchor, plus one for the scan starting a little later) that reaches `oldestMs`. */
export const lookbackReaching = (anchorMs: number, oldestMs: number): number =>
  Math.max(1, Math.ceil((anchorMs - oldestMs) / DAY_MS) + 1);
