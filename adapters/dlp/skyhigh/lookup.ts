import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import type { SkyhighClient } from './client.js';
import type { SkyhighConfig } from './config.js';
import { DAY_MS, type ScanPage, type ScanState, type Sighting, scanIncidents } from './list.js';
import type { ShnIncident } from './schema.js';

/** Ids remembered with their last timeModified; about 100 bytes each. */
const MAX_INDEXED = 200_000;

/**
 * Skyhigh has no "get incident" call (§2.3): an incident is found by querying the time window it must be in.
 * What every query shows is remembered, so that window is usually one millisecond wide:
 * - an incident last seen at time T and unchanged since is the only kind of record at [T, T+1 ms): one request;
 * - one that changed since moved forward, so it is after T, and after any floor a status change we made set;
 * - a "sweep" (a complete scan from the start of the lookback window) proves that every incident it did not
 *   see was modified before the window or after the sweep, so an unknown id is looked for only after it.
 * An incident not found in the window it must be in is reported `not_found`. That includes one nobody has
 * touched for longer than `lookbackDays` that this process never saw (after a restart): the price of a vendor
 * without lookup by id, bounded by the lookback the full pass also uses.
 */
export interface Lookup {
  find(id: string): Promise<Result<ShnIncident, AdapterError>>;
  observe(page: ScanPage<Sighting>): void;
  recordSweep(fromMs: number, throughMs: number): void;
  /** After a change we made: the incident now sorts after everything the server has shown us so far. */
  markChanged(id: string): void;
}

/** A lookup keeps the whole record it finds: the snippets are read from its `information` map. */
const asFound = (record: ShnIncident) => record;

export function createLookup(client: SkyhighClient, config: SkyhighConfig, deps: AdapterDeps): Lookup {
  const index = new Map<string, number>();
  const floors = new Map<string, number>();
  let sweep: { fromMs: number; throughMs: number } | null = null;
  let latestMs = Number.NEGATIVE_INFINITY;
  let informationLogged = false;
  const windowStart = () => deps.clock.now().getTime() - config.lookbackDays * DAY_MS;

  const remember = (record: Sighting) => {
    index.delete(record.incidentId);
    index.set(record.incidentId, record.modifiedMs);
    latestMs = Math.max(latestMs, record.modifiedMs);
    const floor = floors.get(record.incidentId);
    if (floor !== undefined && record.modifiedMs >= floor) floors.delete(record.incidentId);
    if (!informationLogged && record.informationForm !== null) {
      informationLogged = true;
      deps.logger.debug({ form: record.informationForm }, 'skyhigh information form');
    }
    if (index.size > MAX_INDEXED) {
      index.delete(index.keys().next().value as string);
      // A forgotten id would look "not seen by the sweep": the proof no longer holds.
      sweep = null;
    }
  };

  const observe = (page: ScanPage<Sighting>) => {
    for (const record of page.records) remember(record);
    for (const record of page.redelivered) remember(record);
  };

  const recordSweep = (fromMs: number, throughMs: number) => {
    if (fromMs <= windowStart() + 60_000) sweep = { fromMs, throughMs };
    // A later incremental scan that starts inside the sweep extends it: whatever changed since was seen too.
    else if (sweep && fromMs <= sweep.throughMs) sweep = { ...sweep, throughMs: Math.max(sweep.throughMs, throughMs) };
  };

  /** Scans from `startMs` (to `endMs`, if given) until `id` turns up; every record passed is remembered. */
  const search = async (id: string, startMs: number, endMs?: number) => {
    const state: ScanState = { throughMs: startMs, complete: false };
    for await (const page of scanIncidents(client, config, { startMs, endMs }, deps.logger, state, asFound)) {
      if (!page.ok) return page;
      observe(page.value);
      const found = [...page.value.records, ...page.value.redelivered].find((r) => r.incidentId === id);
      if (found) return ok({ found, state });
      if (page.value.brokenIds.includes(id)) {
        return err(
          adapterError('schema_mismatch', 'get: Skyhigh returned this incident in a shape the adapter cannot read'),
        );
      }
    }
    return ok({ found: null, state });
  };

  return {
    observe,
    recordSweep,
    markChanged(id) {
      floors.set(id, latestMs);
    },
    async find(id) {
      const known = index.get(id);
      const floor = floors.get(id) ?? Number.NEGATIVE_INFINITY;
      let startMs: number;
      let sweeping = false;
      if (known !== undefined) {
        if (floor <= known) {
          const exact = await search(id, known, known + 1);
          if (!exact.ok || exact.value.found) return exact.ok ? ok(exact.value.found as ShnIncident) : exact;
        }
        startMs = Math.max(known + 1, floor);
        if (sweep && known < sweep.fromMs) startMs = Math.max(startMs, sweep.throughMs);
      } else if (sweep && sweep.fromMs <= windowStart() + 60_000) {
        startMs = Math.max(sweep.throughMs, floor);
      } else {
        startMs = windowStart();
        sweeping = true;
      }
      const result = await search(id, startMs);
      if (!result.ok) return result;
      const { found, state } = result.value;
      if (found) return ok(found);
      if (sweeping && state.complete) recordSweep(startMs, state.throughMs);
      const since = new Date(Math.max(startMs, windowStart())).toISOString();
      return err(
        adapterError('not_found', `get: no such incident among those modified since ${since}`, { status: 404 }),
      );
    },
  };
}
