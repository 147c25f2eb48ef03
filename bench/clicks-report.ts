/** The `clicks` benchmark's options, report shape and targets. */
import { medianOf } from './repeat.js';
import { round1 } from './scan-report.js';

export interface ClicksBenchOptions {
  /** Signed "View snippets" clicks, each on a different incident and by a different analyst. */
  clicks: number;
  /** At most this many clicks in flight at once (default: all of them). */
  concurrency: number;
  /** Real-time delay the vendor adds to every API call during the clicks (not during the first scan). */
  latencyMs: number;
  /** The source's `http.connections`; undefined keeps the config default (what production runs with). */
  connections: number | undefined;
  /** Fresh deployments (bot process, fake Slack, simulator, store), one after the other. */
  runs: number;
}

export const CLICKS_DEFAULTS = { clicks: 50, latencyMs: 2_000, runs: 1 } as const;

/** The targets: p99 time to the HTTP ack under 300 ms; every click answered, one vendor call and one audit row each. */
export const CLICKS_TARGETS = { ackP99Ms: 300 } as const;

/** In ms; null when some click never got there (no answer before the deadline). */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface ClicksRunReport {
  benchmark: 'clicks';
  clicks: number;
  concurrency: number;
  vendorLatencyMs: number;
  /** Send → HTTP response fully read, per click (what Slack's 3-second rule is about). */
  ackMs: Percentiles;
  /** Clicks answered with HTTP 200. */
  acked: number;
  /** Send → the clicker's private snippets answer recorded by the fake Slack (polled every 10 ms). */
  answerMs: Percentiles;
  /** Clicks whose private answer is the snippets view. */
  completed: number;
  /** Clicks answered privately with anything else (an error, a refusal, "already received"). */
  otherAnswers: number;
  /** GET /incidents/{id}/snippets requests the simulator received during the click phase. */
  vendorCalls: number;
  /** Every other request the simulator received meanwhile (token, list, get, update): 0 expected. */
  otherVendorCalls: number;
  /** `incident.snippets` rows with outcome ok for the clicked incidents, read from the bot's store. */
  auditRows: number;
  /** First click sent → last answer received (or the timeout). */
  wallMs: number;
  /** The Palo Alto source's `http.connections` (config default unless `--connections`). */
  vendorConnections: number;
  /** Incidents in the simulated dataset; the clicks use the breach posts of the first scan. */
  incidents: number;
  checks: Record<string, boolean>;
  targetsMet: boolean;
  node: string;
  cpus: number;
}

/** Nearest-rank percentiles (p99 of 50 values is the largest); Infinity, a click never answered, gives null. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const value = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
    return Number.isFinite(value) ? round1(value) : null;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Several runs as one report: each figure the median of the runs, with the ack spread and every run kept. */
export function clicksMedians(each: readonly ClicksRunReport[]): object {
  const first = each[0] as ClicksRunReport;
  const median = (pick: (r: ClicksRunReport) => number) => medianOf(each.map(pick));
  // A run with a click never answered has no such percentile; then neither has the series.
  const medianOrNull = (pick: (r: ClicksRunReport) => number | null) => {
    const values = each.map(pick);
    return values.every((v) => v !== null) ? medianOf(values as number[]) : null;
  };
  const medianPercentiles = (pick: (r: ClicksRunReport) => Percentiles): Percentiles => ({
    p50: medianOrNull((r) => pick(r).p50),
    p95: medianOrNull((r) => pick(r).p95),
    p99: medianOrNull((r) => pick(r).p99),
    max: medianOrNull((r) => pick(r).max),
  });
  const spread = (pick: (r: ClicksRunReport) => number | null) => {
    const values = each.map(pick).filter((v): v is number => v !== null);
    return values.length ? { min: Math.min(...values), max: Math.max(...values) } : null;
  };
  return {
    benchmark: 'clicks',
    statistic: `median of ${each.length} runs, each a fresh deployment (bot process, fake Slack, simulator, store)`,
    clicks: first.clicks,
    concurrency: first.concurrency,
    vendorLatencyMs: first.vendorLatencyMs,
    ackMs: medianPercentiles((r) => r.ackMs),
    answerMs: medianPercentiles((r) => r.answerMs),
    completed: median((r) => r.completed),
    vendorCalls: median((r) => r.vendorCalls),
    auditRows: median((r) => r.auditRows),
    wallMs: median((r) => r.wallMs),
    vendorConnections: first.vendorConnections,
    spread: { ackP50Ms: spread((r) => r.ackMs.p50), ackP99Ms: spread((r) => r.ackMs.p99) },
    targetsMet: each.every((r) => r.targetsMet),
    runsMeetingTargets: each.filter((r) => r.targetsMet).length,
    node: first.node,
    cpus: first.cpus,
    runs: each,
  };
}
