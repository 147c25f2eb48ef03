import { parseDateTime } from '../../simulator-kit/time.js';
import { CATEGORIES, FILTER_FIELDS, GROUPS } from './catalog.js';
import type { CoreFields, ShnIncidentRecord } from './records.js';

/** A validated `Criteria` body (seed 004): what this call honours, per reference §2.2. */
export interface Criteria {
  startMs: number;
  endMs: number;
  /** `timesSelection: CREATED_AT` (or the deprecated `createdSinceStartTime`): window and order on timeCreated. */
  byCreated: boolean;
  product: 'SANCTIONED' | 'SHADOW';
  /** incidentGroup prefixes from `categories`; null means every group of the product. */
  groupPrefixes: string[] | null;
  groupIds: Set<number> | null;
  actorIds: Set<string> | null;
  serviceNames: Set<string> | null;
  /** ANDed fields, ORed values. */
  fields: [string, Set<string>][] | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; target: string };

const fail = (message: string, target: string): Parsed<never> => ({ ok: false, message, target });
/** `yyyy-mm-ddThh:mm:ss[.sss][Z|±hh:mm]`; the docs' own example omits the zone, which the server reads as UTC. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;

export const DEFAULT_LIMIT = 50;

/** `limit` defaults to 50; values above the cap are silently capped, as the current docs say. */
export function parseLimit(params: URLSearchParams, maxLimit: number): Parsed<number> {
  const values = params.getAll('limit');
  if (values.length === 0) return { ok: true, value: Math.min(DEFAULT_LIMIT, maxLimit) };
  const raw = values[0] ?? '';
  if (values.length > 1 || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    return fail('limit must be one positive integer', 'limit');
  }
  return { ok: true, value: Math.min(Number(raw), maxLimit) };
}

function parseTime(value: unknown, name: string, nowMs: number): Parsed<number> {
  if (value === undefined || value === null || value === '') return { ok: true, value: nowMs };
  if (typeof value !== 'string') return fail(`${name} must be a date-time string`, name);
  const ms = parseDateTime(ZONELESS.test(value) ? `${value}Z` : value);
  return ms === null ? fail(`${name} must look like 2024-05-01T00:00:00.000Z`, name) : { ok: true, value: ms };
}

function stringSet(value: unknown, name: string): Parsed<Set<string> | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    return fail(`${name} must be an array of strings`, name);
  }
  return { ok: true, value: value.length ? new Set(value as string[]) : null };
}

export function parseCriteria(body: unknown, nowMs: number): Parsed<Criteria> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('the request body must be a Criteria object', 'body');
  }
  const c = body as Record<string, unknown>;
  const start = parseTime(c.startTime, 'startTime', nowMs);
  if (!start.ok) return start;
  // Default "now", exclusive; +1 ms so a change made at this very millisecond (always, on a frozen test clock) shows.
  const end = parseTime(c.endTime, 'endTime', nowMs + 1);
  if (!end.ok) return end;
  if (c.timesSelection !== undefined && c.timesSelection !== 'CREATED_AT' && c.timesSelection !== 'LAST_MODIFIED_AT') {
    return fail('timesSelection must be CREATED_AT or LAST_MODIFIED_AT', 'timesSelection');
  }
  const actorIds = stringSet(c.actorIds, 'actorIds');
  if (!actorIds.ok) return actorIds;
  const serviceNames = stringSet(c.serviceNames, 'serviceNames');
  if (!serviceNames.ok) return serviceNames;
  const incident = parseIncidentCriteria(c.incidentCriteria);
  if (!incident.ok) return incident;
  return {
    ok: true,
    value: {
      startMs: start.value,
      endMs: end.value,
      byCreated: c.timesSelection === 'CREATED_AT' || c.createdSinceStartTime === true,
      actorIds: actorIds.value,
      serviceNames: serviceNames.value,
      ...incident.value,
    },
  };
}

type IncidentPart = Pick<Criteria, 'product' | 'groupPrefixes' | 'groupIds' | 'fields'>;

function parseIncidentCriteria(value: unknown): Parsed<IncidentPart> {
  const none: IncidentPart = { product: 'SANCTIONED', groupPrefixes: null, groupIds: null, fields: null };
  if (value === undefined || value === null) return { ok: true, value: none };
  if (typeof value !== 'object' || Array.isArray(value))
    return fail('incidentCriteria must be an object', 'incidentCriteria');
  const ic = value as Record<string, unknown>;
  if (ic.categories !== undefined && ic.incidentGroupIds !== undefined) {
    return fail('give either categories or incidentGroupIds, not both', 'incidentCriteria');
  }
  const out = { ...none };
  if (ic.product !== undefined) {
    if (ic.product !== 'SANCTIONED' && ic.product !== 'SHADOW') {
      return fail('product must be SANCTIONED or SHADOW', 'incidentCriteria.product');
    }
    out.product = ic.product;
  }
  if (ic.categories !== undefined) {
    const prefixes = parseCategories(ic.categories);
    if (!prefixes.ok) return prefixes;
    out.groupPrefixes = prefixes.value;
  }
  if (ic.incidentGroupIds !== undefined) {
    const ids = ic.incidentGroupIds;
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id))) {
      return fail('incidentGroupIds must be an array of integers', 'incidentCriteria.incidentGroupIds');
    }
    out.groupIds = new Set(ids as number[]);
  }
  if (ic.fields !== undefined) {
    const fields = parseFields(ic.fields);
    if (!fields.ok) return fields;
    out.fields = fields.value;
  }
  return { ok: true, value: out };
}

function parseCategories(value: unknown): Parsed<string[] | null> {
  const target = 'incidentCriteria.categories';
  if (!Array.isArray(value)) return fail('categories must be an array', target);
  const prefixes: string[] = [];
  for (const item of value) {
    const { incidentType: type, category } = (item ?? {}) as Record<string, unknown>;
    if (typeof type !== 'string') return fail('every category needs an incidentType', target);
    const base = type.split('.')[0];
    if (base === 'Event') return fail("incident type 'Event' is not yet supported", target);
    if (base !== 'Alert' && base !== 'Threat') return fail('incidentType must be Alert or Threat', target);
    if (category === undefined || category === null) {
      // Docs examples pass dotted group names as incidentType; they act as incidentGroup prefixes.
      prefixes.push(type);
      continue;
    }
    if (typeof category !== 'string' || CATEGORIES[category] !== type) {
      return fail(`category ${JSON.stringify(category)} is not valid for incidentType ${type}`, target);
    }
    prefixes.push(`${type}.${category}`);
  }
  return { ok: true, value: prefixes.length ? prefixes : null };
}

function parseFields(value: unknown): Parsed<[string, Set<string>][] | null> {
  const target = 'incidentCriteria.fields';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('fields must be a map', target);
  const out: [string, Set<string>][] = [];
  for (const [name, values] of Object.entries(value)) {
    if (!(FILTER_FIELDS as readonly string[]).includes(name)) {
      return fail(`field ${JSON.stringify(name)} cannot be filtered on`, `${target}.${name}`);
    }
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      return fail(`fields.${name} must be an array of values`, `${target}.${name}`);
    }
    out.push([name, new Set(values.map(String))]);
  }
  return { ok: true, value: out.length ? out : null };
}

/** The cheap part of the match, from the columns alone. */
export function matchesCore(core: CoreFields, criteria: Criteria): boolean {
  const group = GROUPS[core.group];
  if (!group || group.product !== criteria.product) return false;
  if (criteria.groupIds && (group.groupId === null || !criteria.groupIds.has(group.groupId))) return false;
  if (criteria.groupPrefixes) {
    const name = group.group;
    if (!criteria.groupPrefixes.some((p) => name === p || name.startsWith(`${p}.`))) return false;
  }
  return true;
}

export function needsRecord(criteria: Criteria): boolean {
  return criteria.actorIds !== null || criteria.serviceNames !== null || criteria.fields !== null;
}

export function matchesRecord(record: ShnIncidentRecord, criteria: Criteria): boolean {
  if (criteria.actorIds && !criteria.actorIds.has(record.actorId)) return false;
  if (criteria.serviceNames && !record.serviceNames.some((s) => criteria.serviceNames?.has(s))) return false;
  for (const [name, values] of criteria.fields ?? []) {
    const actual = name === 'status' ? record.status : record.information[name];
    if (actual === undefined || !values.has(String(actual))) return false;
  }
  return true;
}
