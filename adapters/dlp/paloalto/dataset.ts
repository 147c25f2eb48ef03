import type { ReplacedIds } from '../simulator-kit/id-quirks.js';
import { createRng, hashSeed } from '../simulator-kit/prng.js';
import { finiteRate, incidentCountWithin, shareWithinOne } from '../simulator-kit/range-checks.js';
import { floorToSecond, isoSeconds } from '../simulator-kit/time.js';
import {
  type ContentSnippet,
  DEFAULT_SLA_HOURS,
  type DLPIncident,
  OPEN,
  SEVERITIES,
  SEVERITY_WEIGHTS,
  STATUS_WEIGHTS,
  STATUSES,
} from './simulator/catalog.js';
import { createColumns } from './simulator/columns.js';
import { buildIncident, buildSnippets, positionOfId } from './simulator/records.js';

export interface PaloAltoDatasetOptions {
  seed?: number;
  incidents?: number;
  anchor: Date;
  /** Share of the generated open incidents that are already past their default SLA window (default 0.3). */
  breachedShare?: number;
  /** New open incidents per hour after the anchor; each becomes visible once the clock passes its timestamp. */
  arrivalsPerHour?: number;
}

export interface IncidentPatch {
  status?: DLPIncident['status'];
  reviewer_comments?: string;
}

/**
 * Columnar and lazy: only timestamp, severity and status live in typed arrays (about 11 bytes per record);
 * every other field is re-derived from `(seed, position)` when a page is served. Records are kept in the
 * API's sort order (timestamp, then id), so ids are positions and time filters are binary searches.
 */
export interface PaloAltoDataset {
  readonly seed: number;
  readonly anchor: Date;
  readonly baseCount: number;
  /** Bumped when a status changes or arrivals appear; query caches compare it. */
  version(): number;
  /** Materialises arrivals up to `nowMs`; returns how many records (a prefix) are visible at that time. */
  visibleCount(nowMs: number): number;
  /** Records materialised so far, visible or not. */
  size(): number;
  /** First position whose timestamp is at or after `ms`. */
  lowerBound(ms: number): number;
  statusAt(position: number): number;
  severityAt(position: number): number;
  incident(position: number): DLPIncident;
  snippets(position: number): ContentSnippet[];
  /** Position for an id, if a record with that id has been materialised (visibility is the caller's job). */
  positionOf(id: string): number | undefined;
  update(position: number, patch: IncidentPatch, nowMs: number): DLPIncident;
  /** Ids served instead of the generated ones (the `replaceIds` quirk); absent when none are. */
  ids?: ReplacedIds;
}

const BASE_SALT = 0xba5e;
const ARRIVAL_SALT = 0xa881;
const HOUR_MS = 3_600_000;
const ESCALATED_SHARE = 0.35;
const DUE_SOON_SHARE = 0.2;
const MAX_INCIDENTS = 5_000_000;

export function generatePaloAltoDataset(options: PaloAltoDatasetOptions): PaloAltoDataset {
  const seed = options.seed ?? 1;
  const count = options.incidents ?? 500;
  const share = options.breachedShare ?? 0.3;
  const rate = options.arrivalsPerHour ?? 0;
  incidentCountWithin(count, MAX_INCIDENTS);
  shareWithinOne('breachedShare', share);
  finiteRate('arrivalsPerHour', rate);
  const anchorMs = options.anchor.getTime();
  const columns = generateBase(seed, count, anchorMs, share);
  const comments = new Map<number, { reviewer_comments?: string; reviewed_at: number }>();
  let version = 0;
  let arrivals = 0;

  const arrivalAt = (k: number) => {
    const rng = createRng(hashSeed(seed, k, ARRIVAL_SALT));
    // One arrival per interval at a random point inside it, so timestamps are increasing by construction.
    const timestampMs = floorToSecond(anchorMs + (k + rng.next()) * (HOUR_MS / rate));
    return { timestampMs, severity: rng.weighted(SEVERITY_WEIGHTS) };
  };
  let pending = rate > 0 ? arrivalAt(0) : undefined;

  const core = (position: number) => ({
    timestampMs: columns.timestamp(position),
    severity: columns.severity(position),
    status: columns.status(position),
    generatedStatus: columns.generatedStatus(position),
    anchorMs,
  });

  const incident = (position: number): DLPIncident => {
    const record = buildIncident(seed, position, core(position));
    const review = comments.get(position);
    if (review?.reviewer_comments !== undefined) record.reviewer_comments = review.reviewer_comments;
    if (review) record.reviewed_at = isoSeconds(review.reviewed_at);
    return record;
  };

  return {
    seed,
    anchor: new Date(anchorMs),
    baseCount: count,
    version: () => version,
    visibleCount(nowMs) {
      let added = false;
      while (pending && pending.timestampMs <= nowMs && columns.size() < MAX_INCIDENTS) {
        columns.push(pending.timestampMs, pending.severity, OPEN);
        arrivals += 1;
        pending = arrivalAt(arrivals);
        added = true;
      }
      if (added) version += 1;
      return columns.upperBound(nowMs);
    },
    size: () => columns.size(),
    lowerBound: (ms) => columns.lowerBound(ms),
    statusAt: (position) => columns.status(position),
    severityAt: (position) => columns.severity(position),
    incident,
    snippets: (position) => buildSnippets(seed, position, incident(position)),
    positionOf(id) {
      const position = positionOfId(id);
      return position !== undefined && position < columns.size() ? position : undefined;
    },
    update(position, patch, nowMs) {
      const previous = comments.get(position);
      const next = { ...previous, reviewed_at: floorToSecond(nowMs) };
      if (patch.reviewer_comments !== undefined) next.reviewer_comments = patch.reviewer_comments;
      comments.set(position, next);
      if (patch.status !== undefined) {
        columns.setStatus(position, STATUSES.indexOf(patch.status));
        version += 1;
      }
      return incident(position);
    },
  };
}

/** Generates the records that exist at the anchor, then sorts them into API order. */
function generateBase(seed: number, count: number, anchorMs: number, share: number) {
  const rng = createRng(hashSeed(seed, count, BASE_SALT));
  const timestamps = new Float64Array(count);
  const severities = new Uint8Array(count);
  const statuses = new Uint8Array(count);
  // Error diffusion instead of a coin flip per record: the breached share is exact, not just expected.
  const phase = rng.next();
  let openSeen = 0;
  for (let i = 0; i < count; i += 1) {
    const severity = rng.weighted(SEVERITY_WEIGHTS);
    const status = rng.weighted(STATUS_WEIGHTS);
    const slaMs = DEFAULT_SLA_HOURS[SEVERITIES[severity] ?? 'medium'] * HOUR_MS;
    let ageMs: number;
    if (status === OPEN) {
      const breached = Math.floor((openSeen + 1) * share + phase) > Math.floor(openSeen * share + phase);
      openSeen += 1;
      if (breached) ageMs = slaMs * (rng.chance(ESCALATED_SHARE) ? rng.between(2.05, 6) : rng.between(1.05, 1.95));
      else ageMs = slaMs * (rng.chance(DUE_SOON_SHARE) ? rng.between(0.76, 0.97) : rng.between(0, 0.7));
    } else {
      ageMs = rng.between(10 * 60_000, 21 * 24 * HOUR_MS);
    }
    timestamps[i] = floorToSecond(anchorMs - ageMs);
    severities[i] = severity;
    statuses[i] = status;
  }
  const order = new Uint32Array(count).map((_, i) => i);
  order.sort((a, b) => (timestamps[a] as number) - (timestamps[b] as number) || a - b);
  return createColumns(order, timestamps, severities, statuses);
}
