/**
 * Zscaler Workflow Automation (ZWA): `POST /dlp/v1/incidents/search` pages of at most 100 on the incident's
 * creation time, the first one (`page=0`) fixing the result set under a `pageId` and every answer carrying a
 * cursor with `totalPages`; API-key tokens. No status filter is used (only NEW and RESOLVED are known spellings),
 * so the scan reads every record in the lookback and keeps the open ones.
 *
 * The simulator's published limits are off here: what they cost is the `zwa-pacing` benchmark's subject. The
 * adapter paces itself whatever the server does, and that pacing cannot be lifted (`rateLimits` may only be
 * lowered), so the default dataset stays within one minute's burst of scan searches and the run never waits.
 */

import {
  type BenchVendor,
  datasetOptions,
  defineBenchVendor,
  lookbackReaching,
  pagesKnowingTotal,
} from '../simulator-kit/bench-kit.js';
import { PUBLISHED_LIMITS, SCAN_SHARE } from './client.js';

const PAGE_CAP = 100;
/** Searches a scan may send in any minute before the adapter's pacer makes it wait (15 of the published 20). */
export const ZWA_SCAN_BURST = Math.max(1, Math.floor(PUBLISHED_LIMITS.medium.perMinute * SCAN_SHARE));
const ZWA_SCAN_PER_HOUR = Math.max(1, Math.floor(PUBLISHED_LIMITS.medium.perHour * SCAN_SHARE));

interface ZscalerFacts {
  /** Every visible record; the search's time range (the lookback below) covers all of them. */
  total: number;
  /** Records ZWA calls open (anything but RESOLVED): what the scan stores. */
  open: number;
  statusCounts: Record<string, number>;
  /** Days back from the anchor that reach the oldest `createdAt`. */
  lookbackDays: number;
  /** The simulator's own open count against the one counted from its records. */
  openAgrees: boolean;
}

export const zscaler = defineBenchVendor<ZscalerFacts>({
  vendor: 'zscaler',
  defaults: { incidents: 1_000, pageSize: PAGE_CAP },
  maxPageSize: PAGE_CAP,
  note:
    `the adapter always paces searches (${ZWA_SCAN_BURST}/min, ${ZWA_SCAN_PER_HOUR}/h for scans), so up to ` +
    `${ZWA_SCAN_BURST * PAGE_CAP} incidents take seconds; every further ${ZWA_SCAN_BURST * PAGE_CAP} wait a minute ` +
    `in real time (past ${ZWA_SCAN_PER_HOUR * PAGE_CAP}, an hour)`,
  async serve(spec) {
    const { startZscalerSimulator } = await import('./simulator.js');
    // publishedLimits off: no 429s, so the count is the adapter's paging alone; one token outlives the run.
    const simulator = await startZscalerSimulator({ ...datasetOptions(spec), publishedLimits: false });
    const records = simulator.records();
    const statusCounts: Record<string, number> = {};
    let open = 0;
    let oldestMs = spec.anchorMs;
    for (const record of records) {
      statusCounts[record.status] = (statusCounts[record.status] ?? 0) + 1;
      if (record.status !== 'RESOLVED') open += 1;
      oldestMs = Math.min(oldestMs, Date.parse(String(record.createdAt)));
    }
    return {
      simulator,
      requests: () => simulator.requests(),
      facts: {
        total: records.length,
        open,
        statusCounts,
        lookbackDays: lookbackReaching(spec.anchorMs, oldestMs),
        openAgrees: open === simulator.openIncidentCount(),
      },
    };
  },
  // No filters (the default) and a lookback reaching the oldest incident, so one search reads them all.
  source: (entry, facts, pageSize) => ({ ...entry, pageSize, lookbackDays: Math.max(30, facts.lookbackDays) }),
  expect(facts, spec, pageSize) {
    // Every answer's cursor has `totalPages`, so a full last page needs no empty one after it.
    const searches = pagesKnowingTotal(facts.total, pageSize);
    return {
      fetched: facts.open,
      minApiRequests: searches,
      breakdown: { search: searches },
      tokenRequests: 1,
      dataset: { recordsRead: facts.total, statusCounts: facts.statusCounts, searchesWithinBurst: ZWA_SCAN_BURST },
      checks: {
        datasetComplete: facts.total === spec.incidents,
        lookbackAllowed: facts.lookbackDays <= 365,
        openAgrees: facts.openAgrees,
      },
    };
  },
});

export const benchKits: readonly BenchVendor[] = [zscaler];
