import { parseDateTime } from '../../../simulator-kit/time.js';
import type { Parsed } from '../query.js';

export const REGIONS = ['us', 'eu', 'uk', 'jp', 'in', 'ap', 'ca', 'au', 'par'] as const;
/** pan.dev documents no maximum for v2; the beta inventory's 1000 is used as a plausible one. */
const MAX_PAGE_SIZE = 1_000;
const KNOWN = new Set([
  'page_number',
  'page_size',
  'start_time',
  'end_time',
  'ascending',
  'channel',
  'region',
  'sort_by',
]);
/** Documented filters the simulator does not implement; refused rather than silently ignored. */
const UNSUPPORTED = new Set(['file_shas', 'report_ids', 'report_ids[]', 'user_ids', 'user_ids[]']);

export interface PublishedListQuery {
  /** 1-based, as the documented example's `page.number: 1` suggests; 0 is read as the first page. */
  page: number;
  size: number;
  startMs?: number;
  endMs?: number;
  ascending: boolean;
  channel?: 'ngfw' | 'prisma-access';
  region: string;
}

export function parseRegion(params: URLSearchParams): Parsed<string> {
  const region = params.get('region') ?? 'us';
  return (REGIONS as readonly string[]).includes(region)
    ? { ok: true, value: region }
    : { ok: false, message: `region must be one of ${REGIONS.join(', ')}` };
}

export function parsePublishedListQuery(params: URLSearchParams): Parsed<PublishedListQuery> {
  for (const name of new Set(params.keys())) {
    if (UNSUPPORTED.has(name)) return { ok: false, message: `${name} is not supported by this simulator` };
    if (!KNOWN.has(name)) return { ok: false, message: `unknown query parameter ${name}` };
    if (params.getAll(name).length > 1) return { ok: false, message: `${name} must be given at most once` };
  }
  const region = parseRegion(params);
  if (!region.ok) return region;
  const query: PublishedListQuery = { page: 1, size: 10, ascending: false, region: region.value };
  const int = (name: string, min: number, max: number): number | string | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= min && value <= max ? value : `${name} must be an integer ${min}..${max}`;
  };
  const page = int('page_number', 0, 1_000_000_000);
  const size = int('page_size', 1, MAX_PAGE_SIZE);
  for (const value of [page, size]) if (typeof value === 'string') return { ok: false, message: value };
  if (typeof page === 'number') query.page = Math.max(1, page);
  if (typeof size === 'number') query.size = size;
  for (const [name, key] of [
    ['start_time', 'startMs'],
    ['end_time', 'endMs'],
  ] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    const ms = parseDateTime(raw);
    if (ms === null) return { ok: false, message: `${name} must be a UTC date-time such as 2023-10-17T02:29:04.402Z` };
    query[key] = ms;
  }
  const ascending = params.get('ascending');
  if (ascending !== null && ascending !== 'true' && ascending !== 'false') {
    return { ok: false, message: 'ascending must be true or false' };
  }
  query.ascending = ascending === 'true';
  const sortBy = params.get('sort_by');
  if (sortBy !== null && sortBy !== 'incident_creation_time') {
    return { ok: false, message: 'sort_by: this simulator sorts by incident_creation_time only' };
  }
  const channel = params.get('channel');
  if (channel !== null && channel !== 'ngfw' && channel !== 'prisma-access') {
    return { ok: false, message: 'channel must be ngfw or prisma-access' };
  }
  if (channel) query.channel = channel;
  return { ok: true, value: query };
}
