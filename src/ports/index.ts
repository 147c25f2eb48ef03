import type { z } from 'zod';
import type { VendorConfigSpec, VendorSourceConfig } from '../config/schema.js';
import type { AdapterError } from '../domain/errors.js';
import type { Incident, IncidentStatus, Severity } from '../domain/incident.js';
import type { Result } from '../domain/result.js';
import type { SlaState } from '../domain/sla.js';
import type { BreachCutoffs } from '../domain/sla-cutoff.js';
import type { Logger } from '../log.js';
import type { Clock, Egress } from './environment.js';
import type { SimulatorHandle, SimulatorStartOptions } from './simulator.js';

export * from './chat.js';
export * from './environment.js';
export * from './simulator.js';

/** What a vendor's API can do; the core reads these flags and never branches on a vendor's name. */
export interface Capabilities {
  assign: boolean;
  note: boolean;
  falsePositive: boolean;
  snippets: boolean;
  /** Can write an "SLA breached" status or note back to the vendor. */
  writeBack: boolean;
  /** Can list only incidents newer than a watermark (the vendor has a usable time filter). */
  incremental: boolean;
}

/** What the store holds of an incident as its vendor last reported it (no local triage laid over it). */
export interface KnownIncident {
  createdAt: Date;
  severity: Severity;
  rawStatus: string;
  assignee: string | null;
  /** When a scan last listed it. */
  lastSeenAt: Date;
  /** Its SLA state when last stored (null: not awaiting triage), which tells whether a listing raises it. */
  slaState: SlaState | null;
}

/**
 * `full` pages through every open incident; `incremental` only those created at or after `since`. `known` looks an
 * id up in the store, so an adapter that pays one call per incident for a field (Symantec's assignee) can skip it
 * for incidents whose listed fields have not changed.
 */
export type ListWindow = ({ mode: 'full' } | { mode: 'incremental'; since: Date }) & {
  known?: (id: string) => KnownIncident | null;
  /** Someone asked for this pass (`scan --full`): what `known` would let an adapter skip is read again. */
  reread?: boolean;
  /**
   * True when this scan will draw a card for the incident as listed (new to triage, or its SLA state rises to due
   * soon, breached or escalated), given what `known` returned for it: a field that costs a call per incident and
   * that the card shows (Symantec's assignee) is read for these rather than shown stale or unread.
   */
  announces?: (incident: Incident, known: KnownIncident | null) => boolean;
};

export interface IncidentPage {
  incidents: Incident[];
  /** Records on this page that failed validation and were skipped (counted, never fatal). */
  skipped: number;
  /** The vendor's own count of matching records, when it reports one (for progress only). */
  expectedTotal: number | null;
}

/** A person in the vendor's own user directory (usually an email address). */
export interface VendorUser {
  id: string;
  display?: string;
}

/** Who did something, as the vendor's audit trail and our notes should name them. */
export interface Actor {
  email: string | null;
  display: string;
}

/** Where an action took effect: in the vendor's console, or only in this bot's records. */
export interface ActionReceipt {
  recordedIn: 'vendor' | 'local';
  /**
   * How the vendor is known to hold it when its answer to this write did not say so: `reread` (the answer was
   * unreadable; reading the incident again showed the change) or `already` (the incident already held it, a retry:
   * nothing was written twice). Absent: the vendor's answer said so.
   */
  confirmed?: 'reread' | 'already';
}

/**
 * One piece of evidence, as the vendor returned it. Never stored, never logged, shown only to the person who asked,
 * and masked by the core first, whatever the vendor or the adapter did: there is no "already masked" flag to
 * trust, since a vendor's `masked: true` once let a raw SSN through.
 */
export interface Snippet {
  label: string;
  text: string;
}

/**
 * The most characters of one snippet's text an adapter passes on (a vendor can return megabytes). Never clip
 * shorter: the core reads past what it shows to recognise a value the display cut runs through, and a value an
 * adapter cut in two can no longer be recognised at all.
 */
export const SNIPPET_TEXT_CAP = 1_000;

/**
 * The most bytes an adapter reads of a vendor's answer that carries evidence (`maxResponseBytes` on that request):
 * fifty snippets of a few kilobytes fit many times over, a 40 MB dump is refused before it is parsed.
 */
export const SNIPPET_RESPONSE_MAX_BYTES = 2 * 1024 * 1024;

/** A breached incident the core asks a vendor to mark (the Symantec "SLA Breach" queue idea). */
export interface BreachToWriteBack {
  id: string;
  /** Null only for a row of an exact early query (ids alone, see {@link BreachCutoffs.exact}): `confirmedNew` then. */
  createdAt: Date | null;
  /** The normalised status when the breach was seen (adapters usually only move incidents still `new`). */
  status: string;
  /** The SLA window it breached, in hours: the note says it, so one note (one vendor call) serves a whole severity. */
  slaHours: number;
  /** True when this scan's own {@link IncidentSource.findBreachedNew} query just returned it New and visible. */
  confirmedNew?: boolean;
}

/** A New, visible incident the vendor listed as created at or before its severity's breach cutoff. */
export interface BreachedNewCandidate {
  id: string;
  /** Null when the cutoffs were exact and the adapter read the ids alone: every such row is breached. */
  createdAt: Date | null;
  severity: Severity;
  /** The policy name, when the cutoffs asked for it (`needsPolicy`); else null. */
  policy: string | null;
}

export interface WriteBackResult {
  /** Ids the vendor now marks as breached. */
  written: string[];
  /** Ids the adapter deliberately left alone (no longer New, hidden); not retried. */
  skipped: string[];
  /** The status written incidents now hold in the vendor, so the store shows it at once; absent: unchanged. */
  marked?: { status: IncidentStatus; rawStatus: string };
  /** A vendor call failed after `written` were: the ids neither written nor skipped stay pending for the next scan. */
  failure?: AdapterError;
}

export interface SourceCheck {
  /** Human-readable facts the check established, e.g. "token issued, expires in 15 min". */
  details: string[];
}

export type SourceResult<T> = Result<T, AdapterError>;

/** One configured vendor instance. */
export interface IncidentSource {
  /** The configured instance id, e.g. `pan-prod`; the `source` of every incident it yields. */
  readonly id: string;
  /** Registry key of the adapter, e.g. `paloalto`. For display and config only, never for branching. */
  readonly vendor: string;
  /** The vendor's product name as people know it, used in "recorded here, not in <vendor>". */
  readonly displayName: string;
  readonly capabilities: Capabilities;
  /** Pages of open incidents. Yields an error result as its last item if the listing failed midway. */
  listOpen(window: ListWindow): AsyncIterable<SourceResult<IncidentPage>>;
  get(id: string): Promise<SourceResult<Incident>>;
  assign(id: string, who: VendorUser, by: Actor): Promise<SourceResult<ActionReceipt>>;
  addNote(id: string, text: string, by: Actor): Promise<SourceResult<ActionReceipt>>;
  markFalsePositive(id: string, reason: string, by: Actor): Promise<SourceResult<ActionReceipt>>;
  snippets(id: string): Promise<SourceResult<Snippet[]>>;
  /**
   * Marks breached incidents in the vendor (status and/or note, as configured). Present, and
   * `capabilities.writeBack` true, only when the adapter supports it and the config turned it on. A scan hands it
   * the whole pending backlog in one call (the early pass: one call per batch {@link findBreachedNew} yields, made as
   * each is read, so calls may overlap): the adapter batches as its vendor accepts and applies its own per-scan cap,
   * leaving the ids it did not get to neither written nor skipped.
   */
  writeBack?(breaches: readonly BreachToWriteBack[]): Promise<SourceResult<WriteBackResult>>;
  /**
   * The vendor's New, visible incidents created at or before their severity's cutoff (ids and what the core needs to
   * decide exactly), read before the listing so write-back need not wait for it. Optional even with write-back: a
   * source without it is written back after its listing only. The adapter runs the queries; the rules stay the core's.
   * Yields batches as the vendor answers them (e.g. one per severity), so the core writes one back while the next is
   * read; an adapter whose write-back has a per-scan cap yields one batch, so the cap takes the oldest first. A failed
   * query is the last item.
   */
  findBreachedNew?(cutoffs: BreachCutoffs): AsyncIterable<SourceResult<BreachedNewCandidate[]>>;
  /** A cheap credential and reachability test for `dlp-bot doctor`. */
  check(): Promise<SourceResult<SourceCheck>>;
  /** Closes connection pools; the source is unusable afterwards. */
  close(): Promise<void>;
}

/** Everything an adapter gets from the composition root; nothing else reaches it. */
export interface AdapterDeps {
  logger: Logger;
  counter: RequestCounter;
  clock: Clock;
  /**
   * Waits `ms` on `clock`. Given (tests and benchmarks on a virtual clock), HTTP pacing and backoff read `clock`
   * and wait with this, so hour-long rate-limit windows pass instantly; omitted, they use real time.
   */
  sleep?: (ms: number) => Promise<void>;
  /** The outbound proxy from HTTPS_PROXY / HTTP_PROXY / NO_PROXY; omitted, vendor calls connect directly. */
  egress?: Egress;
  /** Aborted when the process stops for good: calls in flight, pacing and retry waits give up at once. */
  signal?: AbortSignal;
}

/**
 * Which vendor tenant a source reads: two sources with equal endpoints list the same incidents. Kept in the store
 * (as a fingerprint and as text for people), so it must never hold a secret; credentials are not part of it, so
 * rotating them is not a move.
 */
export interface SourceEndpoint {
  /** The API base URL incidents are read from. */
  url: string;
  /** A non-secret tenant identifier from the config (Palo Alto's TSG id) where the URL alone does not name one. */
  account?: string | undefined;
}

/**
 * One vendor adapter, registered in `adapters/dlp/index.ts`. `Shape` is its config fields: every call gets the source
 * entry as those fields parsed it (see `defineAdapter`).
 */
export interface AdapterDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  vendor: string;
  displayName: string;
  config: VendorConfigSpec<Shape>;
  /** The vendor APIs the adapter can talk to, default first, for vendors with more than one (`api:` in config). */
  apis?: readonly string[];
  create(config: VendorSourceConfig<Shape>, deps: AdapterDeps): IncidentSource;
  /**
   * What a source with this entry can do (its `capabilities`), from the entry alone: nothing is created, connected or
   * started. Reads only keys that have a default or may be absent, because the sandbox asks with its entries as they
   * stand before its simulators start (defaults only). Omitted: the runtime creates the source to find out.
   */
  capabilities?(config: VendorSourceConfig<Shape>): Capabilities;
  /** The endpoint a source entry reads (its defaults applied), for the store's provenance check. */
  endpoint(config: VendorSourceConfig<Shape>): SourceEndpoint;
  startSimulator?(options: SimulatorStartOptions): Promise<SimulatorHandle>;
}

/**
 * Checks an adapter against its own config fields, then lets the registry hold it beside adapters with other fields:
 * the config schema's union on `vendor` hands each adapter only entries its own fields parsed.
 */
export function defineAdapter<Shape extends z.ZodRawShape>(adapter: AdapterDefinition<Shape>): AdapterDefinition {
  return adapter;
}

/** Counts every HTTP request per source; the benchmark and `doctor` read it. */
export interface RequestCounter {
  record(source: string, kind: 'api' | 'token', outcome: number | 'network_error'): void;
  total(): number;
  bySource(): Record<string, SourceRequestCounts>;
}

export interface SourceRequestCounts {
  api: number;
  token: number;
  rateLimited: number;
  failed: number;
}

/** What the card of a source's incident needs to know about the source. */
export interface SourceInfo {
  displayName: string;
  capabilities: Capabilities;
}
