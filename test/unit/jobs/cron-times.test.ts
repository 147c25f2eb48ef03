import { describe, expect, it } from 'vitest';
import { cronSchedule } from '../../../src/jobs/cron-times.js';

/** Every schedule time in (from, to], by repeated `next`. */
function slots(expression: string, zone: string, kind: 'interval' | 'wall-clock', from: string, to: string) {
  const schedule = cronSchedule(expression, zone, kind);
  const out: string[] = [];
  for (let t = schedule.next(new Date(from)); t && t <= new Date(to); t = schedule.next(t)) out.push(t.toISOString());
  return out;
}

// Europe/Berlin falls back on Sunday 25 October 2026: 03:00 CEST (01:00Z) becomes 02:00 CET again.
describe('cron times across the autumn change (Europe/Berlin)', () => {
  it('should run an interval at both copies of the repeated hour, every 15 real minutes', () => {
    const times = slots('*/15 * * * *', 'Europe/Berlin', 'interval', '2026-10-24T23:45:00Z', '2026-10-25T01:30:00Z');
    expect(times).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T00:15:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T00:45:00.000Z',
      '2026-10-25T01:00:00.000Z', // 02:00 CET, the second copy
      '2026-10-25T01:15:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
  });

  it('should run a wall-clock time in the repeated hour once, at its first instant', () => {
    expect(slots('30 2 * * *', 'Europe/Berlin', 'wall-clock', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('should keep 09:00 at 09:00 local on each side of the change', () => {
    expect(slots('0 9 * * *', 'Europe/Berlin', 'wall-clock', '2026-10-24T00:00:00Z', '2026-10-26T23:00:00Z')).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
  });

  it('should find the newest slot of a catch-up window without walking every slot in it', () => {
    const everySecond = cronSchedule('* * * * * *', 'Europe/Berlin', 'interval');
    const latest = everySecond.latest(new Date('2026-10-20T00:00:00Z'), new Date('2026-10-25T01:07:30.500Z'));
    expect(latest?.toISOString()).toBe('2026-10-25T01:07:30.000Z');
    expect(everySecond.latest(new Date('2026-10-25T01:07:30Z'), new Date('2026-10-25T01:07:30.900Z'))).toBeNull();
  });
});

// Europe/Berlin springs forward on Sunday 29 March 2026: 02:00 CET (01:00Z) becomes 03:00 CEST.
describe('cron times across the spring change (Europe/Berlin)', () => {
  it('should keep an interval on real time: the skipped local times simply do not exist', () => {
    expect(slots('*/30 * * * *', 'Europe/Berlin', 'interval', '2026-03-29T00:00:00Z', '2026-03-29T01:30:00Z')).toEqual([
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
  });

  it('should run a skipped wall-clock time once, after the jump', () => {
    expect(slots('30 2 * * *', 'Europe/Berlin', 'wall-clock', '2026-03-28T00:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
      '2026-03-30T00:30:00.000Z',
    ]);
  });
});

describe('cron times in general', () => {
  it('should need day of month and day of week to match together, as node-cron does', () => {
    // Friday the 13th only.
    expect(slots('0 12 13 * 5', 'UTC', 'interval', '2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z')).toEqual([
      '2026-02-13T12:00:00.000Z',
      '2026-03-13T12:00:00.000Z',
      '2026-11-13T12:00:00.000Z',
    ]);
  });

  it('should look years ahead for a date that is rare', () => {
    expect(cronSchedule('0 0 29 2 *').next(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('should refuse an unknown time zone', () => {
    expect(() => cronSchedule('* * * * *', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
