import { createRng, hashSeed } from '../simulator-kit/prng.js';
import { finiteRate, incidentCountWithin, shareWithinOne } from '../simulator-kit/range-checks.js';
import {
  ARCHIVED,
  DEFAULT_SLA_HOURS,
  FALSE_POSITIVE,
  GROUP_WEIGHTS,
  isOpenStatus,
  NEW,
  OPENED,
  RESOLVED,
  SEVERITIES,
  SEVERITY_WEIGHTS,
  STATUS_WEIGHTS,
} from './simulator/catalog.js';
import {
  buildIncident,
  type CoreFields,
  parseIncidentId,
  prefixOf,
  type ShnIncidentRecord,
} from './simulator/records.js';

export interface SkyhighDatasetOptions {
  seed?: number;
  incidents?: number;
  anchor: Date;
  /** Share of the generated open incidents already past their default SLA window (default 0.3). */
  breachedShare?: number;
  /** New incidents per hour after the anchor; each appears once the clock passes its creation time. */
  arrivalsPerHour?: number;
  /** Status changes made "in the console" per hour after the anchor; each moves an incident forward in time order. */
  changesPerHour?: number;
}

/**
 * The tenant's incidents. Positions are creation order (so `CREATED_AT` queries are a walk from a binary search);
 * a second index keeps positions in (timeModified, position) order, the order queryIncidents answers in, and a
 * modification moves one position within it. Only six numbers per record are stored; the rest of a record is
 * re-derived from `(seed, position)` when it is served.
 */
export interface SkyhighDataset {
  readonly seed: number;
  readonly anchor: Date;
  /** Applies arrivals and console changes due by `nowMs`. */
  advance(nowMs: number): void;
  size(): number;
  core(position: number): CoreFields;
  incident(position: number): ShnIncidentRecord;
  /** Position for an id whose prefix matches the record (visibility is the caller's job). */
  positionOf(id: string): number | undefined;
  /** Positions with timeModified >= fromMs, ascending by (timeModified, position). */
  walkModified(fromMs: number): Generator<number>;
  /** Positions with timeCreated >= fromMs, ascending by (timeCreated, position). */
  walkCreated(fromMs: number): Generator<number>;
  /** A status change at `atMs`; timeModified never moves backwards. */
  setStatus(position: number, status: number, atMs: number): void;
  /** Console changes applied so far (for the simulator's description and tests). */
  changesApplied(): number;
}

const BASE_SALT = 0x5b45e;
const ARRIVAL_SALT = 0xa441;
const CHANGE_SALT = 0xc4a6;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ESCALATED_SHARE = 0.35;
const DUE_SOON_SHARE = 0.2;
/** Share of changed records whose change was part of a bulk action, so several share one millisecond. */
const BULK_SHARE = 0.25;
const MAX_INCIDENTS = 2_000_000;

export function generateSkyhighDataset(options: SkyhighDatasetOptions): SkyhighDataset {
  const seed = options.seed ?? 1;
  const count = options.incidents ?? 500;
  const share = options.breachedShare ?? 0.3;
  const arrivalRate = options.arrivalsPerHour ?? 0;
  const changeRate = options.changesPerHour ?? 0;
  incidentCountWithin(count, MAX_INCIDENTS);
  shareWithinOne('breachedShare', share);
  finiteRate('arrivalsPerHour', arrivalRate);
  finiteRate('changesPerHour', changeRate);
  const anchorMs = options.anchor.getTime();
  const cols = generateBase(seed, count, anchorMs, share);
  const byModified = cols.created.map((_, p) => p).sort((a, b) => compareModified(cols.modified, a, b));
  let changes = 0;

  const arrivalAt = (k: number) => {
    const rng = createRng(hashSeed(seed, k, ARRIVAL_SALT));
    const atMs = Math.floor(anchorMs + (k + rng.next()) * (HOUR_MS / arrivalRate));
    return { k, atMs, severity: rng.weighted(SEVERITY_WEIGHTS), group: rng.weighted(GROUP_WEIGHTS) };
  };
  const changeAt = (k: number) => {
    const rng = createRng(hashSeed(seed, k, CHANGE_SALT));
    return { k, atMs: Math.floor(anchorMs + (k + rng.next()) * (HOUR_MS / changeRate)), pick: rng.next() };
  };
  let arrival = arrivalRate > 0 ? arrivalAt(0) : undefined;
  let change = changeRate > 0 ? changeAt(0) : undefined;

  /** Index in byModified of the first entry not before (ms, position). */
  const lowerBound = (ms: number, position: number) => {
    let lo = 0;
    let hi = byModified.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = byModified[mid] as number;
      const t = cols.modified[p] as number;
      if (t < ms || (t === ms && p < position)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const moveTo = (position: number, ms: number) => {
    byModified.splice(lowerBound(cols.modified[position] as number, position), 1);
    cols.modified[position] = ms;
    byModified.splice(lowerBound(ms, position), 0, position);
  };

  const setStatus = (position: number, status: number, atMs: number) => {
    cols.status[position] = status;
    moveTo(position, Math.max(atMs, cols.modified[position] as number));
  };

  const applyConsoleChange = (atMs: number, pick: number) => {
    const position = Math.floor(pick * cols.created.length);
    const current = cols.status[position];
    if (current === undefined || (cols.created[position] as number) > atMs) return;
    const next =
      current === NEW ? OPENED : current === OPENED ? ((pick * 1000) % 1 < 0.7 ? RESOLVED : FALSE_POSITIVE) : ARCHIVED;
    if (next === current) return;
    setStatus(position, next, atMs);
    changes += 1;
  };

  return {
    seed,
    anchor: new Date(anchorMs),
    advance(nowMs) {
      for (;;) {
        const nextArrival = arrival?.atMs ?? Number.POSITIVE_INFINITY;
        const nextChange = change?.atMs ?? Number.POSITIVE_INFINITY;
        if (Math.min(nextArrival, nextChange) > nowMs) return;
        if (arrival && nextArrival <= nextChange) {
          if (cols.created.length >= MAX_INCIDENTS) arrival = undefined;
          else {
            const position = cols.created.length;
            cols.push(arrival.atMs, arrival.atMs, NEW, arrival.severity, arrival.group);
            byModified.splice(lowerBound(arrival.atMs, position), 0, position);
            arrival = arrivalAt(arrival.k + 1);
          }
        } else if (change) {
          applyConsoleChange(change.atMs, change.pick);
          change = changeAt(change.k + 1);
        }
      }
    },
    size: () => cols.created.length,
    core: (position) => cols.core(position),
    incident: (position) => buildIncident(seed, position, cols.core(position)),
    positionOf(id) {
      const parsed = parseIncidentId(id);
      if (!parsed || parsed.position >= cols.created.length) return undefined;
      return prefixOf(cols.group[parsed.position] as number) === parsed.prefix ? parsed.position : undefined;
    },
    *walkModified(fromMs) {
      // Pages are built synchronously, so nothing moves records while a walk is under way.
      for (let i = lowerBound(fromMs, -1); i < byModified.length; i += 1) yield byModified[i] as number;
    },
    *walkCreated(fromMs) {
      let lo = 0;
      let hi = cols.created.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cols.created[mid] as number) < fromMs) lo = mid + 1;
        else hi = mid;
      }
      for (let p = lo; p < cols.created.length; p += 1) yield p;
    },
    setStatus,
    changesApplied: () => changes,
  };
}

function compareModified(modified: readonly number[], a: number, b: number): number {
  return (modified[a] as number) - (modified[b] as number) || a - b;
}

interface Columns {
  created: number[];
  modified: number[];
  significant: number[];
  status: number[];
  severity: number[];
  group: number[];
  push(created: number, modified: number, status: number, severity: number, group: number): void;
  core(position: number): CoreFields;
}

function columns(): Columns {
  const cols: Columns = {
    created: [],
    modified: [],
    significant: [],
    status: [],
    severity: [],
    group: [],
    push(created, modified, status, severity, group) {
      cols.created.push(created);
      cols.modified.push(modified);
      cols.significant.push(modified);
      cols.status.push(status);
      cols.severity.push(severity);
      cols.group.push(group);
    },
    core: (p) => ({
      createdMs: cols.created[p] as number,
      modifiedMs: cols.modified[p] as number,
      significantMs: cols.significant[p] as number,
      status: cols.status[p] as number,
      severity: cols.severity[p] as number,
      group: cols.group[p] as number,
    }),
  };
  return cols;
}

/** The records that exist at the anchor, in creation order. */
function generateBase(seed: number, count: number, anchorMs: number, share: number): Columns {
  const rng = createRng(hashSeed(seed, count, BASE_SALT));
  // Bulk actions in the console: every record changed by one shares its millisecond with the others.
  const bulkTimes = Array.from({ length: Math.max(1, Math.floor(count / 40)) }, () =>
    Math.floor(anchorMs - rng.between(HOUR_MS, 14 * DAY_MS)),
  );
  const phase = rng.next();
  let openSeen = 0;
  const drafts: { created: number; modified: number; status: number; severity: number; group: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    const group = rng.weighted(GROUP_WEIGHTS);
    const severity = rng.weighted(SEVERITY_WEIGHTS);
    const status = rng.weighted(STATUS_WEIGHTS);
    const slaMs = DEFAULT_SLA_HOURS[SEVERITIES[severity] ?? 'medium'] * HOUR_MS;
    let ageMs: number;
    if (isOpenStatus(status)) {
      // Error diffusion instead of a coin flip per record: the breached share is exact, not just expected.
      const breached = Math.floor((openSeen + 1) * share + phase) > Math.floor(openSeen * share + phase);
      openSeen += 1;
      if (breached) ageMs = slaMs * (rng.chance(ESCALATED_SHARE) ? rng.between(2.05, 6) : rng.between(1.05, 1.95));
      else ageMs = slaMs * (rng.chance(DUE_SOON_SHARE) ? rng.between(0.76, 0.97) : rng.between(0, 0.7));
    } else {
      ageMs = rng.between(10 * 60_000, 21 * DAY_MS);
    }
    const created = Math.floor(anchorMs - ageMs);
    let modified: number;
    if (status === NEW) {
      // Detection pipelines touch a new incident once, seconds after creating it.
      modified = Math.min(anchorMs, created + rng.int(0, 30_000));
    } else {
      modified = Math.floor(created + rng.next() * (anchorMs - created));
      const bulk = rng.pick(bulkTimes);
      if (rng.chance(BULK_SHARE) && bulk >= created && bulk <= anchorMs) modified = bulk;
    }
    drafts.push({ created, modified, status, severity, group });
  }
  const order = drafts.map((_, i) => i);
  order.sort((a, b) => (drafts[a]?.created as number) - (drafts[b]?.created as number) || a - b);
  const cols = columns();
  for (const i of order) {
    const d = drafts[i] as (typeof drafts)[number];
    cols.push(d.created, d.modified, d.status, d.severity, d.group);
  }
  return cols;
}
