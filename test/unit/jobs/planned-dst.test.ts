import { afterEach, describe, expect, it } from 'vitest';
import { planJobs } from '../../../src/app/jobs.js';
import { createConfigSchema } from '../../../src/config/schema.js';
import { createJobRunner, type JobSpec } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function config(scan: Record<string, unknown>) {
  const schema = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
    { key: 'chat', fields: () => ({}) },
  ]);
  return schema.parse({
    scan,
    routes: [
      {
        name: 'berlin',
        channels: { chat: ['C-BERLIN'] },
        calendar: { timeZone: 'Europe/Berlin', workingDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
        // Inside the hour the autumn change repeats.
        digest: { time: '02:30' },
      },
    ],
    sources: [{ id: 'src', vendor: 'fake' }],
  });
}

/** Runs the planned scan and digest jobs from Saturday 22:00Z to Sunday 04:00Z over Berlin's fall-back. */
async function runOverFallBack(scan: Record<string, unknown>) {
  const clock = fixedClock('2026-10-24T22:00:00Z');
  const store = openStore(':memory:');
  stores.push(store);
  const ran: Record<string, string[]> = {};
  const jobs = planJobs(config(scan))
    .filter((j) => j.kind !== 'notices')
    .map(
      (planned): JobSpec => ({
        ...planned,
        async run({ slot }) {
          const slots = ran[planned.name] ?? [];
          slots.push(slot.toISOString());
          ran[planned.name] = slots;
          return undefined;
        },
      }),
    );
  const runner = createJobRunner(jobs, { store, clock, logger: silentLogger });
  await runner.start();
  const until = new Date('2026-10-25T04:00:00Z');
  for (let next = runner.nextDue(); next && next <= until; next = runner.nextDue()) {
    clock.set(next);
    await runner.tick();
  }
  await runner.stop();
  return ran;
}

const quarterHoursUtc = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(new Date(from).getTime() + (i + 1) * 900_000).toISOString());

describe('planned schedules across the autumn change (Europe/Berlin, 25 October 2026)', () => {
  it('should scan every 15 real minutes in UTC by default, and post the Berlin digest once that day', async () => {
    const ran = await runOverFallBack({ schedule: '*/15 * * * *' });
    expect(ran['scan:src']).toEqual(quarterHoursUtc('2026-10-24T22:00:00Z', 24));
    expect(ran['digest:berlin']).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('should scan both copies of the repeated hour when the scans are given the Berlin zone', async () => {
    const ran = await runOverFallBack({ schedule: '*/15 * * * *', timeZone: 'Europe/Berlin' });
    expect(ran['scan:src']).toEqual(quarterHoursUtc('2026-10-24T22:00:00Z', 24));
    // A scan at the top of each local hour: 02:00 happens twice, so there are two.
    const hourly = await runOverFallBack({ schedule: '0 * * * *', timeZone: 'Europe/Berlin' });
    expect(hourly['scan:src']).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
      '2026-10-25T04:00:00.000Z',
    ]);
    expect(hourly['digest:berlin']).toEqual(['2026-10-25T00:30:00.000Z']);
  });
});

describe('the planned digest schedule', () => {
  it("should follow the route's working days, so the next run shown is a real one", () => {
    const schema = createConfigSchema([{ vendor: 'fake', fields: () => ({}) }], {}, [
      { key: 'chat', fields: () => ({}) },
    ]);
    const parsed = schema.parse({
      routes: [
        {
          name: 'weekend-desk',
          channels: { chat: ['C-WEEKEND'] },
          calendar: { timeZone: 'Asia/Tokyo', workingDays: ['sun', 'sat'] },
          digest: { time: '08:00' },
        },
      ],
      sources: [{ id: 'src', vendor: 'fake' }],
    });
    const digest = planJobs(parsed).find((job) => job.name === 'digest:weekend-desk');
    // Monday 2026-11-23 10:00 in Tokyo: the next digest is Saturday 08:00 JST, then Sunday.
    if (!digest) throw new Error('no digest job planned');
    const first = digest.schedule.next(new Date('2026-11-23T01:00:00Z'));
    expect(first?.toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(first && digest.schedule.next(first)?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
  });
});
