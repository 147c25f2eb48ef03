/**
 * Palo Alto Networks Enterprise DLP, its seed API and (further down) its published one. The seed API:
 * `GET /v4/incidents?status=…` pages of at most 500 with a `total`, one status
 * per listing, OAuth client-credentials tokens. The scan lists all four statuses, so it reads every record.
 */
import {
  type BenchVendor,
  type DatasetSpec,
  datasetOptions,
  defineBenchVendor,
  lookbackReaching,
  pagesKnowingTotal,
} from '../simulator-kit/bench-kit.js';

export const PAN_LIST_STATUSES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
type PanListStatus = (typeof PAN_LIST_STATUSES)[number];

interface PanFacts {
  /** Records per status; the listing pages through each status on its own. */
  statusCounts: Record<PanListStatus, number>;
  /** The simulator's own count of open records, a cross-check on `statusCounts.open`. */
  openIncidentCount: number;
}

/**
 * Each status is its own listing; the first page's `total` tells a client how many pages follow, so a status
 * of n records costs ceil(n / pageSize) requests, and one even when it is empty (the client cannot know before).
 */
export function panMinRequests(statusCounts: Record<PanListStatus, number>, pageSize: number): number {
  return PAN_LIST_STATUSES.reduce((sum, status) => sum + pagesKnowingTotal(statusCounts[status], pageSize), 0);
}

export const paloalto = defineBenchVendor<PanFacts>({
  vendor: 'paloalto',
  defaults: { incidents: 100_000, pageSize: 500 },
  maxPageSize: 500,
  note: "the issue's reference load",
  async serve(spec) {
    const { startPaloAltoSimulator } = await import('./simulator.js');
    const simulator = await startPaloAltoSimulator({
      ...datasetOptions(spec),
      // A token lives far longer than any run, so exactly one token request is expected.
      tokenTtlSec: 3_600,
    });
    return {
      simulator,
      requests: () => simulator.requests(),
      facts: {
        statusCounts: (await panDatasetFacts(spec)).statusCounts,
        openIncidentCount: simulator.openIncidentCount(),
      },
    };
  },
  source: (entry, _facts, pageSize) => ({ ...entry, pageSize, listStatuses: [...PAN_LIST_STATUSES] }),
  expect(facts, spec, pageSize) {
    const breakdown = Object.fromEntries(
      PAN_LIST_STATUSES.map((s) => [`list ${s}`, pagesKnowingTotal(facts.statusCounts[s], pageSize)]),
    );
    const total = PAN_LIST_STATUSES.reduce((sum, s) => sum + facts.statusCounts[s], 0);
    return {
      fetched: total,
      minApiRequests: panMinRequests(facts.statusCounts, pageSize),
      breakdown,
      tokenRequests: 1,
      dataset: { statusCounts: facts.statusCounts },
      checks: {
        datasetComplete: total === spec.incidents,
        openAgrees: facts.openIncidentCount === facts.statusCounts.open,
      },
    };
  },
});

/**
 * From a second copy of the dataset (generation is deterministic): the simulator offers no per-status count.
 * Records are in time order, so the first is the oldest.
 */
export async function panDatasetFacts(spec: DatasetSpec): Promise<{
  statusCounts: Record<PanListStatus, number>;
  oldestMs: number;
}> {
  const { generatePaloAltoDataset } = await import('./dataset.js');
  const { STATUSES } = await import('./simulator/catalog.js');
  const dataset = generatePaloAltoDataset(datasetOptions(spec));
  const counts: Record<PanListStatus, number> = { open: 0, in_review: 0, resolved: 0, dismissed: 0 };
  for (let position = 0; position < dataset.size(); position += 1) {
    const status = STATUSES[dataset.statusAt(position)];
    if (status !== undefined) counts[status] += 1;
  }
  const oldestMs = dataset.size() > 0 ? Date.parse(dataset.incident(0).timestamp) : spec.anchorMs;
  return { statusCounts: counts, oldestMs };
}

/*
 * Through the published API (pan.dev, `api: published`): `GET /v2/api/incidents` pages with `total_elements` on the
 * incident's creation time, with no status filter and no status field, so the status comes from `GET /v2/api/incidents/{id}`, one per listed incident; the detail names the assignee by id, so
 * `GET /v1/api/incidents/assignee` (one unpaged list) turns ids into the emails analysts see. OAuth
 * client-credentials tokens, as for the seed API.
 */

interface PanPublishedFacts {
  /** Records per seed status; the published detail spells them as `resolution_status` strings. */
  statusCounts: { open: number; in_review: number; resolved: number; dismissed: number };
  /** Days back from the anchor that reach the oldest incident. */
  lookbackDays: number;
  openIncidentCount: number;
}

/**
 * For `listed` incidents in the time range: one assignee list, ceil(listed / pageSize) list pages (the first
 * page's `total_elements` says when to stop; one even when there is nothing) and one detail per listed incident,
 * since only the detail says whether it is still open.
 */
export function panPublishedMinRequests(listed: number, pageSize: number) {
  return { assignees: 1, list: pagesKnowingTotal(listed, pageSize), details: listed };
}

export const paloaltoPublished = defineBenchVendor<PanPublishedFacts>({
  vendor: 'paloalto-published',
  defaults: { incidents: 10_000, pageSize: 500 },
  // The adapter's cap (pan.dev names none; 500 is what the seed API allows).
  maxPageSize: 500,
  note: 'one detail read per listed incident (the v2 list has no status), hence fewer incidents',
  async serve(spec) {
    const { startPaloAltoSimulator } = await import('./simulator.js');
    const simulator = await startPaloAltoSimulator({ ...datasetOptions(spec), api: 'published', tokenTtlSec: 3_600 });
    const { statusCounts, oldestMs } = await panDatasetFacts(spec);
    return {
      simulator,
      requests: () => simulator.requests(),
      facts: {
        statusCounts,
        lookbackDays: lookbackReaching(spec.anchorMs, oldestMs),
        openIncidentCount: simulator.openIncidentCount(),
      },
    };
  },
  // A lookback reaching the oldest incident, so the listing covers the whole dataset.
  source: (entry, facts, pageSize) => ({ ...entry, pageSize, lookbackDays: Math.max(30, facts.lookbackDays) }),
  expect(facts, spec, pageSize) {
    const { open, in_review, resolved, dismissed } = facts.statusCounts;
    const listed = open + in_review + resolved + dismissed;
    const breakdown = panPublishedMinRequests(listed, pageSize);
    return {
      // Open and in review stay; resolved and dismissed (false positives) are read and dropped.
      fetched: open + in_review,
      minApiRequests: breakdown.assignees + breakdown.list + breakdown.details,
      breakdown,
      tokenRequests: 1,
      dataset: { statusCounts: facts.statusCounts, listed },
      checks: {
        datasetComplete: listed === spec.incidents,
        lookbackAllowed: facts.lookbackDays <= 365,
        openAgrees: facts.openIncidentCount === open,
      },
    };
  },
});

/** The seed API, then the published one (`--vendor paloalto-published`). */
export const benchKits: readonly BenchVendor[] = [paloalto, paloaltoPublished];
