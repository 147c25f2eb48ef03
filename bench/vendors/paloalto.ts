/**
 * Palo Alto Networks Enterprise DLP: `GET /v4/incidents?status=…` pages of at most 500 with a `total`, one status
 * per listing, OAuth client-credentials tokens. The scan lists all four statuses, so it reads every record.
 */
import { type DatasetSpec, datasetOptions, defineBenchVendor, pagesKnowingTotal } from './types.js';

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
    const { startPaloAltoSimulator } = await import('../../adapters/dlp/paloalto/simulator.js');
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
  const { generatePaloAltoDataset } = await import('../../adapters/dlp/paloalto/dataset.js');
  const { STATUSES } = await import('../../adapters/dlp/paloalto/simulator/catalog.js');
  const dataset = generatePaloAltoDataset(datasetOptions(spec));
  const counts: Record<PanListStatus, number> = { open: 0, in_review: 0, resolved: 0, dismissed: 0 };
  for (let position = 0; position < dataset.size(); position += 1) {
    const status = STATUSES[dataset.statusAt(position)];
    if (status !== undefined) counts[status] += 1;
  }
  const oldestMs = dataset.size() > 0 ? Date.parse(dataset.incident(0).timestamp) : spec.anchorMs;
  return { statusCounts: counts, oldestMs };
}
