import { randomBytes } from 'node:crypto';
import { parseDateTime } from '../../simulator-kit/time.js';
import type { ZwaDataset } from './dataset.js';
import { buildRecord } from './records.js';

/** The filter names the reference confirms (§1.4); others are answered 400 so an adapter typo shows. */
const FILTERABLE = ['severity', 'priority', 'status'] as const;
const MAX_PAGE_SIZE = 100;
/** Result sets kept for `pageId` paging; the oldest is forgotten first. */
const MAX_SNAPSHOTS = 1_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

interface Query {
  page: number;
  pageSize: number;
  pageId: string | null;
}

interface Criteria {
  filters: { name: (typeof FILTERABLE)[number]; values: Set<string> }[];
  startMs: number;
  endMs: number;
}

export function parseQuery(params: URLSearchParams): Parsed<Query> {
  const page = params.get('page') ?? '0';
  const pageSize = params.get('pageSize') ?? '50';
  if (!/^\d{1,9}$/.test(page)) return { ok: false, message: 'page must be an integer >= 0' };
  if (!/^\d{1,9}$/.test(pageSize) || Number(pageSize) < 1 || Number(pageSize) > MAX_PAGE_SIZE) {
    return { ok: false, message: `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}` };
  }
  return { ok: true, value: { page: Number(page), pageSize: Number(pageSize), pageId: params.get('pageId') } };
}

export function parseCriteria(body: unknown): Parsed<Criteria> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'the body must be a JSON object' };
  }
  const { fields, timeRange } = body as Record<string, unknown>;
  const filters: Criteria['filters'] = [];
  if (fields !== undefined) {
    if (!Array.isArray(fields)) return { ok: false, message: 'fields must be an array' };
    for (const field of fields) {
      const { name, value } = (field ?? {}) as Record<string, unknown>;
      if (!FILTERABLE.includes(name as (typeof FILTERABLE)[number])) {
        return { ok: false, message: `unsupported filter name ${JSON.stringify(name)}` };
      }
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        return { ok: false, message: `fields.${String(name)}.value must be an array of strings` };
      }
      filters.push({
        name: name as Criteria['filters'][number]['name'],
        values: new Set(value.map((v) => v.toUpperCase())),
      });
    }
  }
  let startMs = Number.NEGATIVE_INFINITY;
  let endMs = Number.POSITIVE_INFINITY;
  if (timeRange !== undefined) {
    const { startTime, endTime } = (timeRange ?? {}) as Record<string, unknown>;
    const start = typeof startTime === 'string' ? parseDateTime(startTime) : null;
    const end = typeof endTime === 'string' ? parseDateTime(endTime) : null;
    if (start === null || end === null) {
      return { ok: false, message: 'timeRange needs startTime and endTime as ISO-8601 date-times' };
    }
    if (start > end) return { ok: false, message: 'timeRange.startTime is after endTime' };
    startMs = start;
    endMs = end;
  }
  return { ok: true, value: { filters, startMs, endMs } };
}

export interface SearchEngine {
  /** One page of a search; a new result set (and its `pageId`) unless a known `pageId` is given. */
  page(
    query: Query,
    criteria: Criteria,
    nowMs: number,
  ): Parsed<{ cursor: Record<string, unknown>; positions: number[] }>;
}

/**
 * Searches on `createdAt` within the time range (inclusive), oldest first. The first call fixes the result set
 * under a new `pageId`; later calls with it page through that same set, so arrivals while paging do not shift
 * pages (whether Zscaler works this way is not documented; it is the only reading in which `pageId` helps).
 */
export function createSearchEngine(dataset: ZwaDataset): SearchEngine {
  const snapshots = new Map<string, number[]>();

  const run = (criteria: Criteria, nowMs: number) => {
    const positions: number[] = [];
    for (let p = 0; p < dataset.size(); p += 1) {
      const row = dataset.row(p);
      if (row.createdMs > nowMs || row.createdMs < criteria.startMs || row.createdMs > criteria.endMs) continue;
      if (criteria.filters.length) {
        const record = buildRecord(dataset.seed, p, row);
        if (!criteria.filters.every((f) => f.values.has(String(record[f.name]).toUpperCase()))) continue;
      }
      positions.push(p);
    }
    return positions;
  };

  return {
    page(query, criteria, nowMs) {
      let pageId = query.pageId;
      let positions: number[];
      if (pageId !== null) {
        const known = snapshots.get(pageId);
        if (!known) return { ok: false, message: 'unknown or expired pageId' };
        positions = known;
      } else {
        positions = run(criteria, nowMs);
        pageId = randomBytes(9).toString('base64url');
        snapshots.set(pageId, positions);
        if (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value as string);
      }
      const from = query.page * query.pageSize;
      const slice = positions.slice(from, from + query.pageSize);
      return {
        ok: true,
        value: {
          cursor: {
            totalPages: Math.ceil(positions.length / query.pageSize),
            currentPageNumber: query.page,
            currentPageSize: slice.length,
            pageId,
            totalElements: positions.length,
          },
          positions: slice,
        },
      };
    },
  };
}
