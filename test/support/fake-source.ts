import { setImmediate as nextTurn } from 'node:timers/promises';
import { type AdapterError, adapterError } from '../../src/domain/errors.js';
import { CLOSED_STATUSES, Incident } from '../../src/domain/incident.js';
import { err, ok } from '../../src/domain/result.js';
import type {
  ActionReceipt,
  Capabilities,
  IncidentPage,
  IncidentSource,
  ListWindow,
  SourceResult,
} from '../../src/ports/index.js';

/**
 * An in-memory `IncidentSource` (a seam fake, not a module mock). It holds the incidents a test sets,
 * lists the open ones in pages (full, or incremental by `createdAt >= since`), answers `get`, and can be
 * told to fail: an error result after N pages, a throw after N pages (an adapter bug), or an error per id
 * on `get`. Every call is recorded.
 */

export const FAKE_CAPABILITIES: Capabilities = {
  assign: true,
  note: true,
  falsePositive: true,
  snippets: false,
  writeBack: false,
  incremental: true,
};

export interface FakeSourceOptions {
  id?: string;
  pageSize?: number;
  capabilities?: Partial<Capabilities>;
  incidents?: readonly Incident[];
  /** Each page after the first starts by repeating this many records of the page before (offset drift). */
  overlap?: number;
  /** Reported as `skipped` (malformed records the adapter dropped) on every page. */
  skippedPerPage?: number;
  /** Shared across fakes to observe interleaving: `<id>:list`, `<id>:page`, `<id>:end`. */
  events?: string[];
}

export type FakeSourceCall =
  | { method: 'listOpen'; window: ListWindow }
  | { method: 'get' | 'snippets'; id: string }
  | { method: 'assign' | 'addNote' | 'markFalsePositive'; id: string; arg: string }
  | { method: 'check' | 'close' };

type ListingFailure = { afterPages: number } & (
  | { kind: 'error'; error: AdapterError }
  | { kind: 'throw'; error: Error }
);

export interface FakeSource extends IncidentSource {
  readonly calls: FakeSourceCall[];
  /** The windows of every `listOpen` call, in order: mode and `since` (the store lookup and `reread` left out). */
  windows(): ListWindow[];
  /** Ids yielded by the listings so far (including repeats), in order. */
  readonly listed: string[];
  /** Adds or replaces incidents (by id). */
  put(...incidents: Incident[]): void;
  /** Replaces one incident with a changed copy; throws if it is unknown, so a typo cannot pass silently. */
  change(id: string, patch: Partial<Incident>): Incident;
  /** The vendor forgets it: no longer listed, and `get` answers not_found. */
  remove(id: string): void;
  /** After `afterPages` good pages, the listing yields this error result and stops. Stays until `heal()`. */
  failListing(afterPages: number, error: AdapterError): void;
  /** After `afterPages` good pages, the listing throws (an adapter bug). Stays until `heal()`. */
  throwListing(afterPages: number, error?: Error): void;
  /** `get(id)` answers this error (not_found is the default for unknown ids anyway). */
  failGet(id: string, error: AdapterError): void;
  heal(): void;
}

const clone = (incident: Incident): Incident => structuredClone(incident);

export function createFakeSource(options: FakeSourceOptions = {}): FakeSource {
  const id = options.id ?? 'fake';
  const pageSize = options.pageSize ?? 2;
  const overlap = options.overlap ?? 0;
  if (pageSize < 1 || overlap >= pageSize) throw new RangeError('pageSize must be >= 1 and overlap < pageSize');
  const capabilities: Capabilities = { ...FAKE_CAPABILITIES, ...options.capabilities };
  const held = new Map<string, Incident>();
  const getErrors = new Map<string, AdapterError>();
  const calls: FakeSourceCall[] = [];
  const listed: string[] = [];
  let listingFailure: ListingFailure | null = null;
  const event = (what: string) => options.events?.push(`${id}:${what}`);

  const put = (...incidents: Incident[]) => {
    for (const incident of incidents) {
      if (incident.source !== id) throw new Error(`incident ${incident.id} belongs to ${incident.source}, not ${id}`);
      held.set(incident.id, clone(incident));
    }
  };
  put(...(options.incidents ?? []));

  const openIn = (window: ListWindow) =>
    [...held.values()]
      .filter((i) => !CLOSED_STATUSES.has(i.status))
      .filter((i) => window.mode === 'full' || i.createdAt.getTime() >= window.since.getTime())
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));

  async function* listOpen(window: ListWindow): AsyncGenerator<SourceResult<IncidentPage>> {
    calls.push({ method: 'listOpen', window });
    event('list');
    const failure = listingFailure;
    let start = 0;
    for (let page = 0; ; page += 1) {
      // Async between pages, as a real adapter is: lets parallel scans interleave.
      await nextTurn();
      if (failure && page === failure.afterPages) {
        event('failed');
        if (failure.kind === 'throw') throw failure.error;
        yield err(failure.error);
        return;
      }
      // Offset pagination re-queries for every page, so a change made mid-listing shows on later pages.
      const records = openIn(window);
      const from = page === 0 ? 0 : start - overlap;
      const slice = records.slice(from, from + pageSize);
      start = from + slice.length;
      listed.push(...slice.map((i) => i.id));
      event('page');
      yield ok({ incidents: slice.map(clone), skipped: options.skippedPerPage ?? 0, expectedTotal: records.length });
      // A failure planned right after the last page still happens (the vendor died on the next request).
      if (start >= records.length && failure?.afterPages !== page + 1) break;
    }
    event('end');
  }

  const receipt = (capable: boolean): SourceResult<ActionReceipt> =>
    capable ? ok({ recordedIn: 'vendor' }) : err(adapterError('unsupported', 'the fake cannot do that'));

  return {
    id,
    vendor: 'fake',
    displayName: `Fake DLP (${id})`,
    capabilities,
    calls,
    listed,
    windows: () =>
      calls.flatMap((c) => {
        if (c.method !== 'listOpen') return [];
        const { known: _known, reread: _reread, announces: _announces, ...window } = c.window;
        return [window];
      }),
    listOpen,
    async get(incidentId) {
      calls.push({ method: 'get', id: incidentId });
      await nextTurn();
      const failure = getErrors.get(incidentId);
      if (failure) return err(failure);
      const found = held.get(incidentId);
      return found ? ok(clone(found)) : err(adapterError('not_found', `no incident ${incidentId}`, { status: 404 }));
    },
    async assign(incidentId, who) {
      calls.push({ method: 'assign', id: incidentId, arg: who.id });
      return receipt(capabilities.assign);
    },
    async addNote(incidentId, text) {
      calls.push({ method: 'addNote', id: incidentId, arg: text });
      return receipt(capabilities.note);
    },
    async markFalsePositive(incidentId, reason) {
      calls.push({ method: 'markFalsePositive', id: incidentId, arg: reason });
      return receipt(capabilities.falsePositive);
    },
    async snippets(incidentId) {
      calls.push({ method: 'snippets', id: incidentId });
      return capabilities.snippets ? ok([]) : err(adapterError('unsupported', 'the fake has no snippets'));
    },
    async check() {
      calls.push({ method: 'check' });
      return ok({ details: [`${held.size} incidents held`] });
    },
    async close() {
      calls.push({ method: 'close' });
    },
    put,
    change(incidentId, patch) {
      const current = held.get(incidentId);
      if (!current) throw new Error(`the fake holds no incident ${incidentId}`);
      const next = Incident.parse({ ...current, ...patch });
      held.set(incidentId, next);
      return clone(next);
    },
    remove(incidentId) {
      if (!held.delete(incidentId)) throw new Error(`the fake holds no incident ${incidentId}`);
    },
    failListing(afterPages, error) {
      listingFailure = { afterPages, kind: 'error', error };
    },
    throwListing(afterPages, error = new Error('adapter bug: undefined is not a function')) {
      listingFailure = { afterPages, kind: 'throw', error };
    },
    failGet(incidentId, error) {
      getErrors.set(incidentId, error);
    },
    heal() {
      listingFailure = null;
      getErrors.clear();
    },
  };
}

/** A valid canonical incident for `source` (parsed, so a fixture can never drift from the schema). */
export function fakeIncident(source: string, id: string, overrides: Partial<Incident> = {}): Incident {
  return Incident.parse({
    source,
    id,
    severity: 'high',
    status: 'open',
    rawStatus: 'Open',
    createdAt: new Date('2026-03-02T08:00:00Z'),
    updatedAt: null,
    policy: 'PCI - Credit Card',
    actor: 'bob@corp.example',
    channel: 'email',
    application: 'outlook',
    fileName: 'cards.xlsx',
    matchCount: 3,
    assignee: null,
    link: `https://console.example/incidents/${encodeURIComponent(id)}`,
    ...overrides,
  });
}
