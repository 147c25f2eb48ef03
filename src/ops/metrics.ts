import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../ports/index.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { Store } from '../store/index.js';

export interface Metrics {
  /** Where the bot's reports go (attach it to the runtime's telemetry hub). */
  telemetry: Telemetry;
  /** The Prometheus text format, figures from the store read now. */
  scrape(): Promise<string>;
  contentType: string;
}

/** `200` → `2xx`; no answer at all is its own class. */
const statusClass = (outcome: number | 'network_error') =>
  outcome === 'network_error' ? outcome : `${Math.floor(outcome / 100)}xx`;

/**
 * The bot's metrics in a registry of its own (never prom-client's global one), so two bots in one process, or the
 * tests, never mix their figures. Counters and histograms count what telemetry reports; gauges read the store at
 * scrape time, so they are right even for work another process did.
 */
export function createMetrics(deps: { store: Store; clock: Clock }): Metrics {
  const { store, clock } = deps;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'dlp_bot_' });
  const scans = new Counter({
    name: 'dlp_bot_scans_total',
    help: 'Scans of a source, by outcome.',
    labelNames: ['source', 'outcome'],
    registers,
  });
  const scanSeconds = new Histogram({
    name: 'dlp_bot_scan_duration_seconds',
    help: 'How long a source scan took, in real time.',
    labelNames: ['source', 'outcome'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers,
  });
  const deliveries = new Counter({
    name: 'dlp_bot_chat_deliveries_total',
    help: 'Chat calls the send queue made (post: cards, roll-ups and DMs; update; reply: thread lines), by outcome.',
    labelNames: ['surface', 'kind', 'outcome'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'dlp_bot_chat_rate_limited_total',
    help: 'Chat platform answers of 429 (each waited out or handed back to the outbox).',
    labelNames: ['surface'],
    registers,
  });
  const clickAck = new Histogram({
    name: 'dlp_bot_click_ack_seconds',
    help: 'From a click reaching the bot to its acknowledgement (Slack allows 3 seconds).',
    labelNames: ['surface'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers,
  });
  const vendorRequests = new Counter({
    name: 'dlp_bot_vendor_requests_total',
    help: 'HTTP requests to the vendors (API and token), by status class; network_error: no answer.',
    labelNames: ['source', 'status_class'],
    registers,
  });
  new Gauge({
    name: 'dlp_bot_incidents_open',
    help: 'Open incidents as stored, by source, severity and SLA state (none: the SLA no longer applies).',
    labelNames: ['source', 'severity', 'sla_state'],
    registers,
    collect() {
      this.reset();
      for (const row of store.opsFigures.openIncidents()) {
        this.set({ source: row.source, severity: row.severity, sla_state: row.slaState ?? 'none' }, row.count);
      }
    },
  });
  const pending = () => store.opsFigures.pendingOutbox();
  new Gauge({
    name: 'dlp_bot_outbox_pending',
    help: 'Notifications waiting to be sent.',
    registers,
    collect() {
      this.set(pending().depth);
    },
  });
  new Gauge({
    name: 'dlp_bot_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest notification waiting to be sent; 0 when none waits.',
    registers,
    collect() {
      const oldest = pending().oldestCreatedAt;
      this.set(oldest ? Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'dlp_bot_outbox_dead_letters',
    help: 'Notifications given up after every attempt (`dlp-bot outbox list`).',
    registers,
    collect() {
      this.set(store.deadLetters.count());
    },
  });
  new Gauge({
    name: 'dlp_bot_audit_chain_length',
    help: 'Rows in the hash-chained audit log.',
    registers,
    collect() {
      this.set(store.audit.head()?.seq ?? 0);
    },
  });
  return {
    telemetry: {
      scanned(source, outcome, seconds) {
        scans.inc({ source, outcome });
        scanSeconds.observe({ source, outcome }, seconds);
      },
      delivered: (surface, kind, outcome) => deliveries.inc({ surface, kind, outcome }),
      rateLimited: (surface) => rateLimited.inc({ surface }),
      clickAcked: (surface, seconds) => clickAck.observe({ surface }, seconds),
      vendorRequest: (source, outcome) => vendorRequests.inc({ source, status_class: statusClass(outcome) }),
    },
    scrape: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
