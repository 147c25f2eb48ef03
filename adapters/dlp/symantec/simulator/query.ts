import type { SymantecDataset } from '../dataset.js';
import type { FieldDef, Scalar } from './fields.js';
import { compileFilter, type Predicate } from './filter.js';

/** `page.pageSize` and `limit` cap, as Broadcom's scripts state it. */
export const MAX_PAGE_SIZE = 10_000;

export interface ParsedQuery {
  select: string[];
  predicate: Predicate | null;
  orderBy: { name: string; descending: boolean }[];
  offset: number;
  count: number;
  /** Identifies the matching set (filter and order), for the result cache. */
  key: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/**
 * The `POST /incidents` body: `select` is mandatory (every client sends it); `filter`, `orderBy`, and either
 * `page {type: offset, pageNumber (1-based), pageSize}` or XSOAR's top-level `limit` are optional. Without
 * either, the first 10000 rows. Unknown top-level keys are ignored (saved-report exports carry extras).
 */
export function parseQuery(body: unknown, fields: ReadonlyMap<string, FieldDef>): Parsed<ParsedQuery> {
  if (!isObject(body)) return { ok: false, message: 'request body must be a JSON object' };
  const { select, filter, orderBy, page, limit } = body;
  if (!Array.isArray(select) || select.length === 0) return { ok: false, message: 'select: required, non-empty' };
  const names: string[] = [];
  for (const [i, item] of select.entries()) {
    const name = isObject(item) ? item.name : undefined;
    if (typeof name !== 'string' || !fields.get(name)?.output) {
      return { ok: false, message: `select[${i}]: unknown or unselectable field ${JSON.stringify(name)}` };
    }
    names.push(name);
  }
  let predicate: Predicate | null = null;
  if (filter !== undefined && filter !== null) {
    const compiled = compileFilter(filter, fields);
    if (!compiled.ok) return compiled;
    predicate = compiled.predicate;
  }
  const order = parseOrderBy(orderBy, fields);
  if (!order.ok) return order;
  const window = parseWindow(page, limit);
  if (!window.ok) return window;
  const key = JSON.stringify([filter ?? null, order.value]);
  return { ok: true, value: { select: names, predicate, orderBy: order.value, ...window.value, key } };
}

function parseOrderBy(raw: unknown, fields: ReadonlyMap<string, FieldDef>): Parsed<ParsedQuery['orderBy']> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return { ok: false, message: 'orderBy: expected an array' };
  const out: ParsedQuery['orderBy'] = [];
  for (const [i, item] of raw.entries()) {
    const name = isObject(item) && isObject(item.field) ? item.field.name : undefined;
    const field = typeof name === 'string' ? fields.get(name) : undefined;
    if (!field?.output)
      return { ok: false, message: `orderBy[${i}].field.name: unknown field ${JSON.stringify(name)}` };
    const order = isObject(item) ? (item.order ?? 'ASC') : 'ASC';
    if (order !== 'ASC' && order !== 'DESC') return { ok: false, message: `orderBy[${i}].order: expected ASC or DESC` };
    out.push({ name: name as string, descending: order === 'DESC' });
  }
  return { ok: true, value: out };
}

function parseWindow(page: unknown, limit: unknown): Parsed<{ offset: number; count: number }> {
  if (page !== undefined && page !== null) {
    if (!isObject(page) || page.type !== 'offset')
      return { ok: false, message: 'page.type: only "offset" is supported' };
    if (!isPositiveInt(page.pageNumber)) return { ok: false, message: 'page.pageNumber: an integer >= 1 (1-based)' };
    if (!isPositiveInt(page.pageSize) || page.pageSize > MAX_PAGE_SIZE) {
      return { ok: false, message: `page.pageSize: an integer 1..${MAX_PAGE_SIZE}` };
    }
    return { ok: true, value: { offset: (page.pageNumber - 1) * page.pageSize, count: page.pageSize } };
  }
  if (limit !== undefined && limit !== null) {
    if (!isPositiveInt(limit) || limit > MAX_PAGE_SIZE)
      return { ok: false, message: `limit: an integer 1..${MAX_PAGE_SIZE}` };
    return { ok: true, value: { offset: 0, count: limit } };
  }
  return { ok: true, value: { offset: 0, count: MAX_PAGE_SIZE } };
}

export interface QueryEngine {
  /** Matching visible positions in the requested order (cached until the dataset changes). */
  run(query: ParsedQuery, nowMs: number): number[];
}

export function createQueryEngine(dataset: SymantecDataset, fields: ReadonlyMap<string, FieldDef>): QueryEngine {
  let cache = new Map<string, number[]>();
  let cachedAt = '';
  return {
    run(query, nowMs) {
      const visible = dataset.visibleCount(nowMs);
      const stamp = `${dataset.version()}:${visible}`;
      if (stamp !== cachedAt) {
        cache = new Map();
        cachedAt = stamp;
      }
      let positions = cache.get(query.key);
      if (!positions) {
        positions = [];
        for (let p = 0; p < visible; p += 1) if (!query.predicate || query.predicate(p)) positions.push(p);
        sortPositions(positions, query.orderBy, fields);
        if (cache.size > 64) cache.clear();
        cache.set(query.key, positions);
      }
      return positions;
    },
  };
}

/** By each orderBy key in turn, nulls first, then by id (Enforce's natural order) so pages are stable. */
function sortPositions(positions: number[], orderBy: ParsedQuery['orderBy'], fields: ReadonlyMap<string, FieldDef>) {
  if (orderBy.length === 0) return;
  const keys = orderBy.map(({ name, descending }) => ({
    field: fields.get(name) as FieldDef,
    sign: descending ? -1 : 1,
  }));
  const compare = (a: Scalar | string[], b: Scalar | string[]) => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    return (a as number | string) < (b as number | string) ? -1 : 1;
  };
  positions.sort((x, y) => {
    for (const { field, sign } of keys) {
      const c = compare(field.value(x), field.value(y));
      if (c !== 0) return c * sign;
    }
    return x - y;
  });
}
