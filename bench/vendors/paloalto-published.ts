/**
 * Palo Alto Networks Enterprise DLP through its published API (pan.dev, `api: published`): `GET /v2/api/incidents`
 * pages with `total_elements` on the incident's creation time, with no status filter and no status field, so the
 * status comes from `GET /v2/api/incidents/{id}`, one per listed incident; the detail names the assignee by id, so
 * `GET /v1/api/incidents/assignee` (one unpaged list) turns ids into the emails analysts see. OAuth
 * client-credentials tokens, as for the seed API.
 */
import { panDatasetFacts } from './paloalto.js';
import { datasetOptions, defineBenchVendor, lookbackReaching, pagesKnowingTotal } from './types.js';

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
    const { startPaloAltoSimulator } = await import('../../adapters/dlp/paloalto/simulator.js');
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
