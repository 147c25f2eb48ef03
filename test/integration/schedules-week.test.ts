import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { buildJobs } from '../../src/app/jobs.js';
import { type Config, createConfigSchema } from '../../src/config/schema.js';
import { deliverOutbox } from '../../src/delivery/deliver.js';
import { createRouter } from '../../src/delivery/routes.js';
import { createSendQueue } from '../../src/delivery/send-queue.js';
import type { Incident } from '../../src/domain/incident.js';
import { createSlaPolicy } from '../../src/domain/sla.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_ACTIONS } from '../support/actions.js';
import { createFakeSource, type FakeSource, fakeIncident } from '../support/fake-source.js';
import { type FixedClock, fixedClock } from '../support/fixed-clock.js';
import { createRecordingSurface, type RecordingSurface } from '../support/recording-surface.js';

// A week in March 2026 with Europe's spring-forward (Sunday 29 March) in it. New York is already on EDT.
const START = '2026-03-23T00:00:00Z';
const END = '2026-03-31T14:00:00Z';
const OUTAGE = { from: '2026-03-25T06:00:00Z', to: '2026-03-25T12:00:00Z' };

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function weekConfig(): Config {
  const schema = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'chat', fields: () => ({}) },
  ]);
  return schema.parse({
    scan: { schedule: '0 * * * *' },
    sla: { hours: { high: 4 } },
    notices: { schedule: '*/15 * * * *' },
    escalation: { leadChannels: { chat: ['C-LEADS'] } },
    reminders: { leadMinutes: 60 },
    routes: [
      {
        name: 'emea',
        sources: ['emea-src'],
        channels: { chat: ['C-EMEA'] },
        calendar: { timeZone: 'Europe/Berlin' },
      },
      {
        name: 'amer',
        sources: ['amer-src'],
        channels: { chat: ['C-AMER'] },
        calendar: { timeZone: 'America/New_York', holidays: ['2026-03-27'] },
        digest: { time: '09:00' },
      },
    ],
    sources: [
      {
        id: 'emea-src',
        vendor: 'fake',
        // Working hours: the SLA clock stops over the weekend.
        sla: { calendar: { timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' } } },
      },
      { id: 'amer-src', vendor: 'fake', schedule: '30 * * * *' },
    ],
  });
}

interface World {
  clock: FixedClock;
  store: Store;
  surface: RecordingSurface;
  sources: FakeSource[];
  pending: Incident[];
  boot(): Promise<JobRunner>;
}

function world(): World {
  const clock = fixedClock(START);
  const store = openStore(':memory:');
  stores.push(store);
  const config = weekConfig();
  const policy = createSlaPolicy(config.sla, config.sources);
  const surface = createRecordingSurface('chat', { now: () => clock.now().getTime() });
  const sources = [createFakeSource({ id: 'emea-src' }), createFakeSource({ id: 'amer-src' })];
  const queue = createSendQueue({ logger: silentLogger, rates: { chat: 'unlimited' } });
  const info = new Map(sources.map((s) => [s.id, { displayName: s.displayName, capabilities: s.capabilities }]));
  const deliver = () =>
    deliverOutbox({
      actions: DEFAULT_ACTIONS,
      store,
      policy,
      clock,
      logger: silentLogger,
      sourceInfo: (id) => info.get(id) ?? null,
      routes: createRouter(config.routes, [surface]),
      queue,
    });
  for (const [user, email] of [
    ['U-CAROL', 'carol@corp.example'],
    ['U-DAVE', 'dave@corp.example'],
  ] as const) {
    store.identities.put({ surface: 'chat', chatUserId: user, email, displayName: null, updatedAt: clock.now() });
  }
  const jobs = () =>
    buildJobs({
      config,
      actions: DEFAULT_ACTIONS,
      store,
      policy,
      sources,
      surfaces: [surface],
      queue,
      logger: silentLogger,
      clock,
      deliver,
    });
  return {
    clock,
    store,
    surface,
    sources,
    pending: [],
    async boot() {
      const runner = createJobRunner(jobs(), { store, clock, logger: silentLogger });
      await runner.start();
      return runner;
    },
  };
}

/** Moves the clock from schedule time to schedule time, adding incidents as their creation time passes. */
async function runUntil(w: World, runner: JobRunner, until: Date): Promise<void> {
  for (let next = runner.nextDue(); next && next <= until; next = runner.nextDue()) {
    w.clock.set(next);
    arrive(w);
    await runner.tick();
  }
  w.clock.set(until);
}

function arrive(w: World): void {
  const now = w.clock.now().getTime();
  for (const incident of w.pending.filter((i) => i.createdAt.getTime() <= now)) {
    w.sources.find((s) => s.id === incident.source)?.put(incident);
    w.pending.splice(w.pending.indexOf(incident), 1);
  }
}

const postsTo = (surface: RecordingSurface, channel: string) =>
  surface.succeeded('post').filter((c) => c.channel === channel);
const isoAt = (call: { at?: number }) => new Date(call.at ?? 0).toISOString();

describe('a simulated week of schedules (two time zones, a DST change, an outage)', () => {
  it('should post the right digests on the right days, escalate and remind each incident once, and catch up once', async () => {
    const w = world();
    w.pending.push(
      // New York: breaches Monday 18:00Z, reminder from 17:00Z, escalated 22:00Z (wall clock).
      fakeIncident('amer-src', 'A1', { createdAt: new Date('2026-03-23T14:00:00Z'), assignee: 'carol@corp.example' }),
      // Berlin, working hours: raised Friday 16:00 CET, one hour before closing. The clock stops for the weekend
      // and Monday is already CEST: deadline Monday 12:00 CEST (10:00Z), escalated at 16:00 CEST (14:00Z).
      fakeIncident('emea-src', 'E1', { createdAt: new Date('2026-03-27T15:00:00Z'), assignee: 'dave@corp.example' }),
    );
    let runner = await w.boot();
    await runUntil(w, runner, new Date(OUTAGE.from));
    await runner.stop();
    // The bot is down for six hours: Berlin's Wednesday digest (08:00Z) and six hourly scans are missed.
    w.clock.set(OUTAGE.to);
    runner = await w.boot();
    await runUntil(w, runner, new Date(END));
    // A second trigger of a digest on the same day, and a manual run, post nothing more.
    await runner.runNow('digest:emea');
    await runner.tick();
    await runner.stop();

    expect(
      postsTo(w.surface, 'C-EMEA')
        .filter((c) => c.view.title.startsWith('DLP digest'))
        .map(isoAt),
    ).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-24T08:00:00.000Z',
      '2026-03-25T12:00:00.000Z', // caught up once at restart
      '2026-03-26T08:00:00.000Z',
      '2026-03-27T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z', // 09:00 CEST after the change
      '2026-03-31T07:00:00.000Z',
    ]);
    expect(
      postsTo(w.surface, 'C-AMER')
        .filter((c) => c.view.title.startsWith('DLP digest'))
        .map(isoAt),
    ).toEqual([
      '2026-03-23T13:00:00.000Z',
      '2026-03-24T13:00:00.000Z',
      '2026-03-25T13:00:00.000Z',
      '2026-03-26T13:00:00.000Z',
      // Friday 27 is the route's holiday; the weekend is off.
      '2026-03-30T13:00:00.000Z',
      '2026-03-31T13:00:00.000Z',
    ]);
    expect(w.store.notices.digestDates('chat', 'C-EMEA')).toHaveLength(7);

    // The catch-up ran once, recorded as such; the missed scans became the one scan at restart.
    const emeaRuns = w.store.jobRuns.recent('digest:emea', 50);
    expect(emeaRuns.filter((r) => r.reason === 'catch_up')).toHaveLength(1);
    expect(emeaRuns.find((r) => r.reason === 'catch_up')?.slot.toISOString()).toBe('2026-03-25T08:00:00.000Z');
    const scansDuringOutage = w.store.jobRuns
      .recent('scan:emea-src', 1_000)
      .filter((r) => r.startedAt > new Date(OUTAGE.from) && r.startedAt <= new Date(OUTAGE.to));
    expect(scansDuringOutage.map((r) => [r.reason, r.startedAt.toISOString()])).toEqual([
      ['start', '2026-03-25T12:00:00.000Z'],
    ]);
    // The weekend is not in the digest's schedule at all (so `dlp-bot jobs` shows Monday as the next run),
    // rather than scheduled and then skipped.
    expect(emeaRuns.filter((r) => r.outcome === 'skipped')).toEqual([]);
    const emeaSlots = emeaRuns.map((r) => DateTime.fromJSDate(r.slot, { zone: 'Europe/Berlin' }).weekday);
    expect(emeaSlots.filter((weekday) => weekday >= 6)).toEqual([]);

    // Exactly one lead post and one DM per escalated incident, one reminder each.
    const leads = postsTo(w.surface, 'C-LEADS');
    expect(leads.map((c) => [c.view.subject?.id, isoAt(c)])).toEqual([
      ['A1', '2026-03-23T22:00:00.000Z'],
      ['E1', '2026-03-30T14:00:00.000Z'],
    ]);
    const dms = w.surface.succeeded('direct').map((c) => [c.user, c.view.title.split(':')[0], isoAt(c)]);
    expect(dms).toEqual([
      ['U-CAROL', 'Reminder', '2026-03-23T17:00:00.000Z'],
      ['U-CAROL', 'Escalated', '2026-03-23T22:00:00.000Z'],
      ['U-DAVE', 'Reminder', '2026-03-30T09:00:00.000Z'],
      ['U-DAVE', 'Escalated', '2026-03-30T14:00:00.000Z'],
    ]);
    // The parent card in the route's channel was updated when the incident escalated.
    const e1Card = postsTo(w.surface, 'C-EMEA').find((c) => c.view.subject?.id === 'E1');
    expect(e1Card).toBeDefined();
    expect(
      w.surface.succeeded('update').some((c) => c.view.subject?.id === 'E1' && isoAt(c) === '2026-03-30T14:00:00.000Z'),
    ).toBe(true);
  });
});
