import { createRng, hashSeed } from '../../simulator-kit/prng.js';
import { finiteRate, incidentCountWithin, shareWithinOne } from '../../simulator-kit/range-checks.js';
import { DEFAULT_SLA_HOURS, isOpenStatus, SEVERITY_WEIGHTS, STATUS_WEIGHTS } from './catalog.js';
import { positionOfId, type Row } from './records.js';

export interface ZwaDatasetOptions {
  seed: number;
  incidents: number;
  anchor: Date;
  /** Share (0..1) of open incidents already past their default SLA window. */
  breachedShare: number;
  /** New incidents per hour after the anchor; each appears once the clock passes its creation time. */
  arrivalsPerHour: number;
}

/** The tenant's incidents in creation order; a position is an incident's identity (see `internalIdOf`). */
export interface ZwaDataset {
  readonly seed: number;
  readonly anchor: Date;
  /** Applies arrivals due by `nowMs`. */
  advance(nowMs: number): void;
  size(): number;
  row(position: number): Row;
  /** The position for an id, if the incident exists and is visible at `nowMs`. */
  positionOf(id: string, nowMs: number): number | undefined;
}

const BASE_SALT = 0x2a7;
const ARRIVAL_SALT = 0xa771;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_INCIDENTS = 2_000_000;

export function generateZwaDataset(options: ZwaDatasetOptions): ZwaDataset {
  const { seed, incidents: count, breachedShare: share, arrivalsPerHour: rate } = options;
  incidentCountWithin(count, MAX_INCIDENTS);
  shareWithinOne('breachedShare', share);
  finiteRate('arrivalsPerHour', rate);
  const anchorMs = options.anchor.getTime();
  const rows = generateBase(seed, count, anchorMs, share);
  let nextArrival = 0;

  const arrivalAt = (k: number) => {
    const rng = createRng(hashSeed(seed, k, ARRIVAL_SALT));
    return {
      atMs: Math.floor(anchorMs + (k + rng.next()) * (HOUR_MS / rate)),
      severity: rng.weighted(SEVERITY_WEIGHTS),
    };
  };

  return {
    seed,
    anchor: new Date(anchorMs),
    advance(nowMs) {
      while (rate > 0 && rows.length < MAX_INCIDENTS) {
        const arrival = arrivalAt(nextArrival);
        if (arrival.atMs > nowMs) return;
        rows.push(freshRow(arrival.atMs, arrival.severity));
        nextArrival += 1;
      }
    },
    size: () => rows.length,
    row: (position) => rows[position] as Row,
    positionOf(id, nowMs) {
      const position = positionOfId(id);
      if (position === undefined || position >= rows.length) return undefined;
      return (rows[position] as Row).createdMs <= nowMs ? position : undefined;
    },
  };
}

const freshRow = (createdMs: number, severity: number): Row => ({
  createdMs,
  updatedMs: createdMs,
  severity,
  status: 'NEW',
  resolution: null,
  notes: [],
  labels: [],
});

/** The incidents that exist at the anchor, in creation order, with an exact share of open ones breached. */
function generateBase(seed: number, count: number, anchorMs: number, share: number): Row[] {
  const rng = createRng(hashSeed(seed, count, BASE_SALT));
  const phase = rng.next();
  let openSeen = 0;
  const rows: Row[] = [];
  for (let i = 0; i < count; i += 1) {
    const severity = rng.weighted(SEVERITY_WEIGHTS);
    const status = rng.weighted(STATUS_WEIGHTS);
    const slaMs = (DEFAULT_SLA_HOURS[severity] ?? 8) * HOUR_MS;
    let ageMs: number;
    if (isOpenStatus(status)) {
      // Error diffusion instead of a coin flip per record: the breached share is exact, not just expected.
      const breached = Math.floor((openSeen + 1) * share + phase) > Math.floor(openSeen * share + phase);
      openSeen += 1;
      ageMs = slaMs * (breached ? rng.between(1.05, 4) : rng.between(0, 0.95));
    } else {
      ageMs = rng.between(10 * 60_000, 21 * DAY_MS);
    }
    const createdMs = Math.floor(anchorMs - ageMs);
    const row = freshRow(createdMs, severity);
    row.status = status;
    row.updatedMs = Math.min(anchorMs, createdMs + rng.int(0, 3_600_000));
    if (status === 'RESOLVED' && rng.chance(0.3)) row.resolution = 'FALSE_POSITIVE';
    rows.push(row);
  }
  return rows.sort((a, b) => a.createdMs - b.createdMs);
}
