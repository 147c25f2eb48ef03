import { afterEach } from 'vitest';
import { createInFlight, type DeliveryDeps, deliverOutbox, type Target } from '../../../src/delivery/deliver.js';
import { createSendQueue, type SendRate } from '../../../src/delivery/send-queue.js';
import { formatIncidentRef, type Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { silentLogger } from '../../../src/log.js';
import type { Clock } from '../../../src/ports/index.js';
import { contentHash, type OutboxKind, openStore, type Store } from '../../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { FAKE_CAPABILITIES } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';
import { createRecordingSurface, createVirtualTimer, type PostLimit } from '../../support/recording-surface.js';

/** The incident id a card's title names ("… DLP incident pan:N7, overdue by 1h"), if any. */
export const idOf = (title: string): string | undefined => /\bpan:([^\s,:]+)/.exec(title)?.[1];

/** A high incident created at T0 is breached from +4 h; deliveries start at +5 h. */
export const T0 = new Date('2026-03-02T08:00:00Z');
export const HOUR = 3_600_000;
export const FAR_FUTURE = new Date(8.64e15);

const policy = createSlaPolicy(SlaConfig.parse({}), []);
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

export interface DeliveryFixtureOptions {
  rollupAfter?: number;
  /** The fake's chat.postMessage limit per channel, on the queue's virtual time. */
  postLimit?: PostLimit;
  /** The queue's own idea of the limit (its default when absent). */
  queueRate?: SendRate;
  routes?: (surface: ReturnType<typeof createRecordingSurface>, incident: Incident) => Target[];
  /** The surface can read its channels back (`findPost`). */
  readBack?: boolean;
}

/**
 * A store, a recording surface and a send queue that share one virtual timer, so pacing and Retry-After
 * waits take no wall time. The business clock (timestamps, SLA) is a separate fixed clock.
 */
export function deliveryFixture(options: DeliveryFixtureOptions = {}) {
  const store = openStore(':memory:');
  stores.push(store);
  const clock = fixedClock(new Date(T0.getTime() + 5 * HOUR));
  const timer = createVirtualTimer();
  const surface = createRecordingSurface('chat', {
    now: timer.now,
    ...(options.postLimit ? { postLimit: options.postLimit } : {}),
    ...(options.readBack ? { readBack: true } : {}),
  });
  const queue = createSendQueue({
    logger: silentLogger,
    timer,
    ...(options.queueRate ? { defaultRate: options.queueRate } : {}),
  });
  const deps: DeliveryDeps = {
    actions: DEFAULT_ACTIONS,
    store,
    policy,
    clock,
    logger: silentLogger,
    sourceInfo: (id) => (id === 'pan' ? { displayName: 'Fake DLP', capabilities: FAKE_CAPABILITIES } : null),
    routes: (incident) => options.routes?.(surface, incident) ?? [{ surface, channel: '#dlp' }],
    queue,
    // One per fixture, as the bot keeps one: runs that overlap share what is in flight.
    inFlight: createInFlight(),
    ...(options.rollupAfter === undefined ? {} : { rollupAfter: options.rollupAfter }),
  };
  const enqueue = intentQueue(store, clock);
  const deliver = () => deliverOutbox(deps);
  /** Posts and replies as `method:subject-or-title`, in call order (successful calls only). */
  const trace = () =>
    surface.calls
      .filter((c) => c.ok)
      .map((c) => {
        const what = idOf(c.view.title) ?? c.view.title;
        if (c.method === 'post') return `${c.threadOf ? 'thread' : 'post'}:${what}`;
        return `${c.method}:${what}`;
      });
  return { store, clock, timer, surface, queue, deps, enqueue, deliver, trace };
}

/** Stores an incident as a scan would and queues one intent for it, with a fresh dedupe key each call. */
export function intentQueue(store: Store, clock: Clock) {
  let n = 0;
  return (incident: Incident, kind: OutboxKind, detail?: string) => {
    const sla = evaluateSla(incident, policy, clock.now());
    store.incidents.upsert(incident, {
      contentHash: contentHash(incident),
      slaState: sla?.state ?? null,
      slaDeadline: sla?.deadline ?? null,
      seenAt: clock.now(),
      scanId: 'scan-test',
    });
    n += 1;
    store.outbox.enqueue({
      source: incident.source,
      incidentId: incident.id,
      kind,
      dedupeKey: `${formatIncidentRef(incident)}#${kind}#${n}`,
      createdAt: clock.now(),
      ...(detail === undefined ? {} : { detail }),
    });
  };
}
