/**
 * Skyhigh Security: `POST /v1/queryIncidents?limit=` answers up to `limit` (cap 500) records ascending by
 * timeModified from an inclusive `startTime`; the only cursor is a time, no status filter exists, HTTP Basic.
 * The scan reads every record of the product (any type) modified within the lookback and keeps the open ones.
 */
import { type BenchVendor, datasetOptions, defineBenchVendor } from '../simulator-kit/bench-kit.js';

const PRODUCT = 'SANCTIONED';
const DAY_MS = 86_400_000;

interface SkyhighFacts {
  /** Every visible record, every product. */
  total: number;
  /** Records of the queried product: the query matches all of them. */
  listed: number;
  /** Of those, open (new or opened): what the listing yields and the scan stores. */
  open: number;
  /** Records of the product per status label. */
  statusCounts: Record<string, number>;
  /**
   * The product's records in the API's order (timeModified, then creation), run-length encoded by shared
   * millisecond: k > 0 is one group of k records sharing one timeModified, -k is k records in a row each with a
   * timeModified of its own. Bulk console actions make such groups; where they fall decides the page count.
   */
  modifiedRuns: number[];
  /** Days back from the anchor to the oldest timeModified, rounded up, plus one: the lookback that reads them all. */
  lookbackDays: number;
  /** The simulator's own open count (every product) against the one counted from its records. */
  openAgrees: boolean;
}

/** The largest `limit` queryIncidents documents (larger values are silently capped). */
const MAX_LIMIT = 500;

/**
 * Fewest queryIncidents calls that read every record, given the records' timeModified groups in API order.
 * A full page ends in some millisecond t; records of t may continue past the page, and a startTime after t
 * (the server's `nextStartTime` is t + 1 ms) would skip them, so a correct client must restart AT t and receive
 * the group's earlier records again. Restarting at the page's last millisecond is the furthest safe cursor, so
 * doing it every time is optimal. Only a page shorter than `limit` says the listing is over. A full page that is
 * one millisecond from end to end leaves no safe cursor at all: that millisecond is read alone, [t, t + 1 ms),
 * with the largest documented `limit` (one more request, none when `limit` already is the largest), and paging
 * goes on after it. (A millisecond holding more than that page cannot be read whole; the listing then fails.)
 */
export function skyhighMinRequests(modifiedRuns: readonly number[], limit: number): number {
  const groupStarts: number[] = [];
  let records = 0;
  for (const run of modifiedRuns) {
    const groups = run > 0 ? 1 : -run;
    for (let i = 0; i < groups; i += 1) {
      groupStarts.push(records);
      records += run > 0 ? run : 1;
    }
  }
  const groupOf = (index: number) => {
    let lo = 0;
    let hi = groupStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((groupStarts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let cursor = 0;
  for (let requests = 1; ; requests += 1) {
    const end = cursor + limit;
    if (end > records) return requests;
    const last = groupOf(end - 1);
    const start = groupStarts[last] as number;
    if (start > cursor) cursor = start;
    else {
      if (limit < MAX_LIMIT) requests += 1;
      cursor = groupStarts[last + 1] ?? records;
    }
  }
}

/** Run-length encoding of a sorted list of millisecond times, as `SkyhighFacts.modifiedRuns` describes. */
export function modifiedRunsOf(sortedMs: readonly number[]): number[] {
  const runs: number[] = [];
  let i = 0;
  while (i < sortedMs.length) {
    let j = i + 1;
    while (j < sortedMs.length && sortedMs[j] === sortedMs[i]) j += 1;
    const size = j - i;
    const previous = runs.at(-1);
    if (size > 1) runs.push(size);
    else if (previous !== undefined && previous < 0) runs[runs.length - 1] = previous - 1;
    else runs.push(-1);
    i = j;
  }
  return runs;
}

export const skyhigh = defineBenchVendor<SkyhighFacts>({
  vendor: 'skyhigh',
  defaults: { incidents: 50_000, pageSize: 500 },
  maxPageSize: MAX_LIMIT,
  note: 'every record of the product is read, the open ones kept',
  async serve(spec) {
    const { startSkyhighSimulator } = await import('./simulator.js');
    const { GROUPS, isOpenStatus, STATUSES } = await import('./simulator/catalog.js');
    const simulator = await startSkyhighSimulator({ ...datasetOptions(spec), changesPerHour: 0 });
    const product = new Map(GROUPS.map((g) => [g.group, g.product]));
    const records = simulator.records();
    const times: number[] = [];
    const statusCounts: Record<string, number> = {};
    let open = 0;
    let openEverywhere = 0;
    for (const record of records) {
      const isOpen = isOpenStatus(STATUSES.indexOf(record.status));
      if (isOpen) openEverywhere += 1;
      if (product.get(record.incidentGroup) !== PRODUCT) continue;
      times.push(Date.parse(record.timeModified));
      statusCounts[record.status] = (statusCounts[record.status] ?? 0) + 1;
      if (isOpen) open += 1;
    }
    // API order ascends by timeModified: the first is the oldest.
    const oldest = times[0] ?? spec.anchorMs;
    return {
      simulator,
      requests: () => simulator.requests(),
      facts: {
        total: records.length,
        listed: times.length,
        open,
        statusCounts,
        modifiedRuns: modifiedRunsOf(times),
        lookbackDays: Math.ceil((spec.anchorMs - oldest) / DAY_MS) + 1,
        openAgrees: openEverywhere === simulator.openIncidentCount(),
      },
    };
  },
  // Every incident type of the product, and a lookback reaching the oldest change, so the scan reads it all.
  source: (entry, facts, pageSize) => ({
    ...entry,
    limit: pageSize,
    categories: [],
    product: PRODUCT,
    lookbackDays: Math.max(30, facts.lookbackDays),
  }),
  expect(facts, spec, pageSize) {
    const queries = skyhighMinRequests(facts.modifiedRuns, pageSize);
    const grouped = facts.modifiedRuns.filter((run) => run > 0);
    return {
      fetched: facts.open,
      minApiRequests: queries,
      breakdown: { queryIncidents: queries },
      tokenRequests: 0,
      dataset: {
        recordsRead: facts.listed,
        otherProduct: facts.total - facts.listed,
        statusCounts: facts.statusCounts,
        sharedMillisecondGroups: grouped.length,
        recordsInGroups: grouped.reduce((sum, run) => sum + run, 0),
      },
      checks: {
        datasetComplete: facts.total === spec.incidents,
        runsCoverListed: facts.modifiedRuns.reduce((sum, run) => sum + Math.abs(run), 0) === facts.listed,
        lookbackAllowed: facts.lookbackDays <= 365,
        openAgrees: facts.openAgrees,
      },
    };
  },
});

export const benchKits: readonly BenchVendor[] = [skyhigh];
