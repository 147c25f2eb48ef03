import type { Clock } from './environment.js';

/** A loopback simulator a vendor adapter ships for tests, benchmarks, the sandbox and `dlp-bot simulate`. */
export interface SimulatorHandle {
  /** The loopback port it listens on; the sandbox asks for the same one next time, so its URLs and links hold. */
  readonly port: number;
  /** Human-readable lines: URLs, sandbox credentials, what knobs are on. */
  describe(): string[];
  /** A source entry, exactly as it would appear in dlp-bot.yaml, pointing at this simulator. */
  sourceConfig(id: string): Record<string, unknown>;
  /** The environment variables `sourceConfig` refers to (sandbox credentials only, never real ones). */
  env(): Record<string, string>;
  /** Of those, the ones whose value is also in a file (a PEM key), by path: printed as "$(cat FILE)", not inline. */
  envFiles?(): Record<string, string>;
  close(): Promise<void>;
}

export interface SimulatorStartOptions {
  port?: number;
  seed?: number;
  incidents?: number;
  /** The dataset's "now": incident ages are laid out relative to it. Defaults to the clock's now. */
  anchor?: Date;
  /** New incidents per hour after the anchor, so a long-running sandbox keeps receiving work. */
  arrivalsPerHour?: number;
  /** Share (0..1) of open incidents already past their SLA window. */
  breachedShare?: number;
  /** Misbehaviour on demand, for trying how dlp-bot (or your own tooling) copes. */
  faults?: SimulatorFaults;
  /**
   * Which of the vendor's APIs `sourceConfig` should point at, for vendors with more than one (Palo Alto: the
   * seed spec or the published API); one of the adapter's `apis`. Omitted: the adapter's default.
   */
  api?: string;
  clock?: Clock;
  /**
   * The vendor's triage state from earlier runs: changes (assignments, notes, statuses) the simulator accepted are
   * appended here and replayed at start, so that state outlives the process. Omitted: state lives in memory only.
   */
  journal?: SimulatorJournal;
}

/** One change a simulator accepted (a 2xx answer to a mutating request), as it was received. */
export interface SimulatorJournalEntry {
  /** The simulator clock's time of the change, in epoch ms; the replay pins the clock to it. */
  at: number;
  method: string;
  /** Path and query string. */
  path: string;
  contentType?: string | undefined;
  body: string;
}

export interface SimulatorJournal {
  entries(): readonly SimulatorJournalEntry[];
  append(entry: SimulatorJournalEntry): void;
}

/** Fault knobs every vendor simulator understands. */
export interface SimulatorFaults {
  /** Added to every API request. */
  latencyMs?: number;
  /** Share (0..1) of API requests answered 500. */
  errorRate?: number;
  /** A real per-minute request limit: the request over it gets 429 with Retry-After. */
  limitPerMinute?: number;
  /** Lifetime of issued tokens, for trying expiry and refresh. */
  tokenTtlSec?: number;
  /**
   * Enforce the vendor's own published rate limits (per endpoint class, per minute and per hour), answering
   * 429 with Retry-After past them. Simulators of vendors that publish no limits ignore it.
   */
  publishedLimits?: boolean;
}
