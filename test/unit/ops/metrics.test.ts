import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/ops/metrics.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { parseMetrics, where } from '../../support/prometheus.js';

const NOW = new Date('2026-03-02T18:00:00Z');
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** A store with one breached incident per id, each with one announcement queued `minutesAgo` before NOW. */
function storeWith(...queued: { id: string; minutesAgo: number }[]): Store {
  const store = openStore(':memory:');
  stores.push(store);
  for (const { id, minutesAgo } of queued) {
    const createdAt = new Date(NOW.getTime() - minutesAgo * 60_000);
    const meta = { contentHash: id, slaState: 'breached' as const, slaDeadline: null, seenAt: NOW, scanId: 's' };
    store.incidents.upsert(fakeIncident('pan', id), meta);
    store.outbox.enqueue({ source: 'pan', incidentId: id, kind: 'breached', dedupeKey: id, createdAt });
  }
  return store;
}

describe('the metrics', () => {
  it('should read the outbox at scrape time: its depth, the oldest wait on the clock, and the dead letters', async () => {
    const clock = fixedClock(NOW);
    const store = storeWith({ id: 'A', minutesAgo: 90 }, { id: 'B', minutesAgo: 30 }, { id: 'C', minutesAgo: 10 });
    const [first] = store.outbox.due(NOW, 10);
    store.outbox.markDead(first?.id ?? 0, 'channel_not_found');
    const metrics = createMetrics({ store, clock });

    let parsed = parseMetrics(await metrics.scrape());
    expect(parsed.series('dlp_bot_outbox_pending')).toEqual([{ labels: {}, value: 2 }]);
    expect(parsed.series('dlp_bot_outbox_oldest_pending_age_seconds')).toEqual([{ labels: {}, value: 30 * 60 }]);
    expect(parsed.series('dlp_bot_outbox_dead_letters')).toEqual([{ labels: {}, value: 1 }]);

    clock.advance(60_000);
    parsed = parseMetrics(await metrics.scrape());
    expect(parsed.series('dlp_bot_outbox_oldest_pending_age_seconds')).toEqual([{ labels: {}, value: 31 * 60 }]);
  });

  it('should count vendor requests by status class, 429s and failed deliveries by surface', async () => {
    const metrics = createMetrics({ store: storeWith(), clock: fixedClock(NOW) });
    for (const outcome of [200, 204, 429, 503, 'network_error'] as const)
      metrics.telemetry.vendorRequest('pan', outcome);
    metrics.telemetry.rateLimited('slack');
    metrics.telemetry.delivered('slack', 'post', 'failed');
    metrics.telemetry.scanned('pan', 'failed', 0.25);

    const parsed = parseMetrics(await metrics.scrape());
    expect(parsed.series('dlp_bot_vendor_requests_total')).toEqual([
      { labels: { source: 'pan', status_class: '2xx' }, value: 2 },
      { labels: { source: 'pan', status_class: '4xx' }, value: 1 },
      { labels: { source: 'pan', status_class: '5xx' }, value: 1 },
      { labels: { source: 'pan', status_class: 'network_error' }, value: 1 },
    ]);
    expect(parsed.series('dlp_bot_chat_rate_limited_total')).toEqual([{ labels: { surface: 'slack' }, value: 1 }]);
    expect(where(parsed.series('dlp_bot_chat_deliveries_total'), { surface: 'slack', outcome: 'failed' })).toBe(1);
    expect(parsed.series('dlp_bot_scans_total')).toEqual([{ labels: { source: 'pan', outcome: 'failed' }, value: 1 }]);
    expect(where(parsed.series('dlp_bot_scan_duration_seconds_bucket'), { outcome: 'failed', le: '0.5' })).toBe(1);
  });

  it('should keep two bots in one process apart: each has a registry of its own', async () => {
    const one = createMetrics({ store: storeWith(), clock: fixedClock(NOW) });
    const two = createMetrics({ store: storeWith(), clock: fixedClock(NOW) });
    one.telemetry.rateLimited('slack');

    expect(parseMetrics(await one.scrape()).series('dlp_bot_chat_rate_limited_total')).toHaveLength(1);
    expect(parseMetrics(await two.scrape()).series('dlp_bot_chat_rate_limited_total')).toEqual([]);
  });
});
