import { createRng, hashSeed } from '../../simulator-kit/prng.js';
import { incidentCountWithin, shareWithinOne } from '../../simulator-kit/range-checks.js';
import { VIOLATION_KINDS, type ViolationKind } from '../schema.js';
import { ACTION_WEIGHTS, type Action, type CoreFields, eventId, KIND_WEIGHTS, SALT } from './records.js';

export interface SymphonyDatasetOptions {
  seed: number;
  violations: number;
  anchor: Date;
  /** Share (0..1) of violations already older than their default SLA window (block 4 h, warn 8 h, log-only 12 h). */
  breachedShare: number;
  /** New violations per hour after the anchor; each appears once the clock passes its createTime. */
  arrivalsPerHour: number;
}

/**
 * The pod's violations, one time-ordered list per endpoint. Only the core fields are stored; the served item is
 * re-derived from `(seed, position)` (records.ts), so a large dataset stays small in memory.
 */
export interface SymphonyDataset {
  readonly seed: number;
  readonly anchor: Date;
  /** Adds the arrivals due by `nowMs`. */
  advance(nowMs: number): void;
  /**
   * Up to `limit` of the kind's violations created in [startMs, endMs] (both inclusive), oldest first, starting
   * after `after` when given; `more` says whether another page would have any.
   */
  page(
    kind: ViolationKind,
    window: { startMs: number; endMs: number },
    after: CoreFields | undefined,
    limit: number,
  ): { items: CoreFields[]; more: boolean };
  byId(id: string): CoreFields | undefined;
  size(): number;
}

const HOUR_MS = 3_600_000;
const SLA_HOURS: Readonly<Record<Action, number>> = { BLOCK: 4, WARN: 8, LOG_ONLY: 12 };
const MAX_VIOLATIONS = 2_000_000;

export function generateSymphonyDataset(options: SymphonyDatasetOptions): SymphonyDataset {
  const { seed, violations, breachedShare, arrivalsPerHour } = options;
  incidentCountWithin(violations, MAX_VIOLATIONS);
  shareWithinOne('breachedShare', breachedShare);
  if (!(arrivalsPerHour >= 0)) throw new RangeError('arrivalsPerHour must not be negative');
  const anchorMs = options.anchor.getTime();
  const lists: Record<ViolationKind, CoreFields[]> = { message: [], stream: [], signal: [] };
  const ids = new Map<string, CoreFields>();

  const add = (position: number, createOf: (action: Action, rng: ReturnType<typeof createRng>) => number) => {
    const rng = createRng(hashSeed(seed, position, SALT));
    const kind = rng.weighted(KIND_WEIGHTS);
    const action = rng.weighted(ACTION_WEIGHTS);
    const createMs = Math.floor(createOf(action, rng));
    const core: CoreFields = { position, kind, action, createMs, id: eventId(seed, position, kind, createMs) };
    lists[kind].push(core);
    ids.set(core.id, core);
  };

  for (let p = 0; p < violations; p += 1) {
    add(p, (action, rng) => {
      const slaMs = SLA_HOURS[action] * HOUR_MS;
      // Breached ones are up to three windows old; the rest are inside their window, most well before "due soon".
      const age = rng.chance(breachedShare) ? rng.between(slaMs, 3 * slaMs) : rng.between(0.02 * slaMs, 0.9 * slaMs);
      return anchorMs - age;
    });
  }
  const byTime = (a: CoreFields, b: CoreFields) => a.createMs - b.createMs || a.position - b.position;
  for (const kind of VIOLATION_KINDS) lists[kind].sort(byTime);

  let arrived = 0;
  const gapMs = arrivalsPerHour > 0 ? HOUR_MS / arrivalsPerHour : Number.POSITIVE_INFINITY;
  return {
    seed,
    anchor: options.anchor,
    advance(nowMs) {
      // Arrivals are created in time order, so appending keeps every list sorted.
      while (anchorMs + (arrived + 1) * gapMs <= nowMs) {
        arrived += 1;
        add(violations + arrived - 1, () => anchorMs + arrived * gapMs);
      }
    },
    page(kind, window, after, limit) {
      const list = lists[kind];
      // The first index not before the start, or (with a cursor) the first after that violation.
      const before = (core: CoreFields) => (after ? byTime(core, after) <= 0 : core.createMs < window.startMs);
      let low = 0;
      let high = list.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (before(list[mid] as CoreFields)) low = mid + 1;
        else high = mid;
      }
      const inWindow = (i: number) => {
        const core = list[i];
        return core !== undefined && core.createMs >= window.startMs && core.createMs <= window.endMs;
      };
      const items: CoreFields[] = [];
      let i = low;
      for (; items.length < limit && i < list.length && (list[i] as CoreFields).createMs <= window.endMs; i += 1) {
        if (inWindow(i)) items.push(list[i] as CoreFields);
      }
      return { items, more: inWindow(i) };
    },
    byId: (id) => ids.get(id),
    size: () => ids.size,
  };
}
