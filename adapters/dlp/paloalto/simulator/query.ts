import { parseDateTime } from '../../simulator-kit/time.js';
import type { PaloAltoDataset } from '../dataset.js';
import { SEVERITIES, STATUSES } from './catalog.js';

export interface ListQuery {
  offset: number;
  limit: number;
  status?: number;
  severity?: number;
  startMs?: number;
  endMs?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_LIMIT = 500;
const KNOWN = ['offset', 'limit', 'status', 'severity', 'start_time', 'end_time'];

/** Validates the list parameters as the spec types them; anything else is a 400 with a useful message. */
export function parseListQuery(params: URLSearchParams): Parsed<ListQuery> {
  const one = (name: string): string | undefined | Error => {
    const values = params.getAll(name);
    if (values.length > 1) return new Error(`${name} must be given at most once`);
    return values[0];
  };
  const query: ListQuery = { offset: 0, limit: 100 };
  for (const name of KNOWN) {
    const raw = one(name);
    if (raw instanceof Error) return { ok: false, message: raw.message };
    if (raw === undefined) continue;
    const problem = applyParam(query, name, raw);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, value: query };
}

function applyParam(query: ListQuery, name: string, raw: string): string | undefined {
  switch (name) {
    case 'offset':
    case 'limit': {
      const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
      if (name === 'offset' && Number.isNaN(value)) return 'offset must be an integer >= 0';
      if (name === 'limit' && !(value >= 1 && value <= MAX_LIMIT)) return `limit must be an integer 1..${MAX_LIMIT}`;
      query[name] = value;
      return undefined;
    }
    case 'status':
    case 'severity': {
      const allowed: readonly string[] = name === 'status' ? STATUSES : SEVERITIES;
      const index = allowed.indexOf(raw);
      if (index < 0) return `${name} must be one of ${allowed.join(', ')}`;
      query[name] = index;
      return undefined;
    }
    default: {
      const ms = parseDateTime(raw);
      if (ms === null) return `${name} must be an ISO 8601 date-time such as 2026-11-23T10:00:00Z`;
      if (name === 'start_time') query.startMs = ms;
      else query.endMs = ms;
      return undefined;
    }
  }
}

/** The matching, visible records in API order, addressed by index into that sequence. */
export interface Selection {
  total: number;
  slice(from: number, to: number): number[];
}

export interface ListIndex {
  select(query: ListQuery, nowMs: number): Selection;
}

/**
 * Caches, per status/severity combination, the ascending positions that match. Time ranges need no
 * cache: records are stored in timestamp order, so a range is two binary searches on top.
 */
export function createListIndex(dataset: PaloAltoDataset): ListIndex {
  const cache = new Map<string, Uint32Array>();
  let cachedVersion = -1;

  const positionsFor = (status: number | undefined, severity: number | undefined, size: number) => {
    if (cachedVersion !== dataset.version()) {
      cache.clear();
      cachedVersion = dataset.version();
    }
    const key = `${status ?? '*'}|${severity ?? '*'}`;
    let positions = cache.get(key);
    if (!positions) {
      const found: number[] = [];
      for (let p = 0; p < size; p += 1) {
        if (status !== undefined && dataset.statusAt(p) !== status) continue;
        if (severity !== undefined && dataset.severityAt(p) !== severity) continue;
        found.push(p);
      }
      positions = Uint32Array.from(found);
      cache.set(key, positions);
    }
    return positions;
  };

  return {
    select(query, nowMs) {
      // May append arrivals (bumping the version), so it runs before the cache is consulted.
      const visible = dataset.visibleCount(nowMs);
      const lo = query.startMs === undefined ? 0 : dataset.lowerBound(query.startMs);
      const hi = Math.min(visible, query.endMs === undefined ? visible : dataset.lowerBound(query.endMs));
      if (hi <= lo) return { total: 0, slice: () => [] };
      if (query.status === undefined && query.severity === undefined) {
        return { total: hi - lo, slice: (from, to) => range(lo + from, Math.min(lo + to, hi)) };
      }
      const positions = positionsFor(query.status, query.severity, dataset.size());
      const a = firstAtOrAfter(positions, lo);
      const b = firstAtOrAfter(positions, hi);
      return {
        total: b - a,
        slice: (from, to) => Array.from(positions.subarray(Math.min(a + from, b), Math.min(a + to, b))),
      };
    },
  };
}

function range(from: number, to: number): number[] {
  return to > from ? Array.from({ length: to - from }, (_, i) => from + i) : [];
}

function firstAtOrAfter(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
