import type { Clock, SimulatorJournal, SimulatorStartOptions } from '../../../src/ports/index.js';
import type { FaultOptions } from './faults.js';

/** The dataset knobs every vendor simulator takes; each generator is deterministic in them. */
export interface DatasetKnobs {
  seed?: number;
  /** How many records to seed (incidents, or violations for Symphony). */
  incidents?: number;
  /** Share (0..1) of open records already past their SLA window. */
  breachedShare?: number;
  /** New records per hour after the anchor, so a long-running sandbox keeps receiving work. */
  arrivalsPerHour?: number;
  /** The dataset's "now"; default the clock's now at start. */
  anchor?: Date;
}

/** What every vendor simulator's options start with; each vendor adds its own credentials, quirks and limits. */
export interface SimulatorBaseOptions extends DatasetKnobs {
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Drives everything time-based (arrivals, visibility, token expiry, rate windows); default the system clock. */
  clock?: Clock;
  faults?: FaultOptions;
  /** Where accepted changes are recorded and replayed from at start (the sandbox); omitted: memory only. */
  journal?: SimulatorJournal;
}

/**
 * The dataset knobs with the defaults every simulator shares, resolved once so the generator and describe()
 * report the same numbers.
 */
export function resolveDatasetKnobs(options: DatasetKnobs, clock: Clock): Required<DatasetKnobs> {
  return {
    seed: options.seed ?? 1,
    incidents: options.incidents ?? 500,
    anchor: options.anchor ?? clock.now(),
    breachedShare: options.breachedShare ?? 0.3,
    arrivalsPerHour: options.arrivalsPerHour ?? 0,
  };
}

/**
 * The vendor-neutral sandbox knobs (`dlp-bot simulate`, the sandbox) as simulator options. `api` and
 * `faults.publishedLimits` are left to the vendors that have more than one API or publish limits, and a vendor
 * without tokens (Symantec) renames `tokenTtlSec` to what expires instead.
 */
export function sandboxSimulatorOptions(
  options: SimulatorStartOptions,
): SimulatorBaseOptions & { tokenTtlSec?: number } {
  const { faults } = options;
  return {
    port: options.port,
    seed: options.seed,
    incidents: options.incidents,
    anchor: options.anchor,
    arrivalsPerHour: options.arrivalsPerHour,
    breachedShare: options.breachedShare,
    tokenTtlSec: faults?.tokenTtlSec,
    faults: { latencyMs: faults?.latencyMs, errorRate: faults?.errorRate, limitPerMinute: faults?.limitPerMinute },
    clock: options.clock,
    journal: options.journal,
  };
}
