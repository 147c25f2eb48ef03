import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createWorkingCalendar, wallClockCalendar } from '../../../src/domain/calendar.js';
import { createSlaPolicy, slaTimes, stateAt } from '../../../src/domain/sla.js';
import { CalendarConfig, SlaConfig, SourceSlaConfig } from '../../../src/domain/sla-config.js';
import { breachCutoffs, latestBreachedCreation } from '../../../src/domain/sla-cutoff.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const calendarOf = (config: z.input<typeof CalendarConfig>) => createWorkingCalendar(CalendarConfig.parse(config));

/** The cutoff is exact: created at it, the SLA is breached at `now`; created a millisecond later, it is not. */
function expectExact(calendar: ReturnType<typeof calendarOf>, windowMs: number, now: Date, cutoff: Date | null) {
  expect(cutoff).not.toBeNull();
  const t = (cutoff as Date).getTime();
  expect(calendar.addWorkingTime(new Date(t), windowMs).getTime()).toBeLessThanOrEqual(now.getTime());
  expect(calendar.addWorkingTime(new Date(t + 1), windowMs).getTime()).toBeGreaterThan(now.getTime());
}

describe('latestBreachedCreation', () => {
  it('should be now minus the window on the wall clock', () => {
    const now = at('2026-03-10T10:00:00Z');
    expect(latestBreachedCreation(wallClockCalendar, 4 * HOUR, now)).toEqual(at('2026-03-10T06:00:00Z'));
  });

  it('should count business hours only, across a weekend, on a Mon–Fri 09:00–17:00 calendar', () => {
    const calendar = calendarOf({ timeZone: 'Europe/Berlin' });
    // Monday 11:00 Berlin (10:00Z): 4 working hours back is Friday 15:00 Berlin, across the weekend.
    const now = at('2026-03-09T10:00:00Z');
    const cutoff = latestBreachedCreation(calendar, 4 * HOUR, now);
    expect(cutoff).toEqual(at('2026-03-06T14:00:00Z'));
    expectExact(calendar, 4 * HOUR, now, cutoff);
  });

  it('should answer the last closing time when the window ends exactly at an opening, never a time out of hours', () => {
    const calendar = calendarOf({ timeZone: 'Europe/Berlin' });
    // Tuesday 09:00 Berlin, 8 h window: everything created up to Monday 09:00 (the opening) has had 8 working hours.
    const now = at('2026-03-10T08:00:00Z');
    expectExact(calendar, 8 * HOUR, now, latestBreachedCreation(calendar, 8 * HOUR, now));
  });

  it('should be exact on a DST day, on a 24-hour calendar and in business hours', () => {
    // Europe/Berlin springs forward on 2026-03-29 (a 23-hour Sunday).
    const allDay = calendarOf({
      timeZone: 'Europe/Berlin',
      workingDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      workingHours: { start: '00:00', end: '24:00' },
    });
    const now = at('2026-03-29T12:00:00Z');
    expect(latestBreachedCreation(allDay, 16 * HOUR, now)).toEqual(at('2026-03-28T20:00:00Z'));
    // 12 working hours back from Monday 13:00 CEST: four on Monday, eight on Friday from its 09:00 CET opening.
    const office = calendarOf({ timeZone: 'Europe/Berlin' });
    const monday = at('2026-03-30T11:00:00Z');
    const cutoff = latestBreachedCreation(office, 12 * HOUR, monday);
    expect(cutoff).toEqual(at('2026-03-27T08:00:00Z'));
    expectExact(office, 12 * HOUR, monday, cutoff);
  });

  it('should be null when no creation time within the horizon can be breached', () => {
    const never = calendarOf({ timeZone: 'UTC', workingDays: ['mon'], holidays: [] });
    expect(latestBreachedCreation(never, 8_760 * 20 * HOUR, at('2026-03-10T10:00:00Z'))).toBeNull();
  });
});

describe('breachCutoffs', () => {
  it("should use each severity's shortest window, policy overrides for the source included, and say the policy matters", () => {
    const sla = SlaConfig.parse({
      hours: { high: 4, medium: 8 },
      policies: [
        { match: 'PCI*', hours: { medium: 2 } },
        { match: 'Other*', hours: { high: 1 }, sources: ['elsewhere'] },
      ],
    });
    const policy = createSlaPolicy(sla, [{ id: 'sym', sla: SourceSlaConfig.parse({}) }]);
    const now = at('2026-03-10T10:00:00Z');
    const cutoffs = breachCutoffs(policy, 'sym', now);
    expect(cutoffs.needsPolicy).toBe(true);
    expect(cutoffs.bySeverity.high).toEqual(at('2026-03-10T06:00:00Z'));
    expect(cutoffs.bySeverity.medium).toEqual(at('2026-03-10T08:00:00Z'));
    // The bot's own SLA state agrees at the cutoff, for the overriding policy.
    const times = slaTimes(
      { source: 'sym', severity: 'medium', policy: 'PCI Data', createdAt: at('2026-03-10T08:00:00Z') },
      policy,
    );
    expect(stateAt(times, now)).toBe('breached');
  });

  it('should not need the policy name when no override applies to the source', () => {
    const policy = createSlaPolicy(
      SlaConfig.parse({ policies: [{ match: 'PCI*', hours: { high: 1 }, sources: ['x'] }] }),
      [{ id: 'sym' }],
    );
    expect(breachCutoffs(policy, 'sym', at('2026-03-10T10:00:00Z')).needsPolicy).toBe(false);
  });

  it('should call the cutoffs exact only on the 24×7 wall clock without a policy override for the source', () => {
    const now = at('2026-03-10T10:00:00Z');
    const exactFor = (sla: object, source: object = {}) =>
      breachCutoffs(createSlaPolicy(SlaConfig.parse(sla), [{ id: 'sym', ...source }]), 'sym', now).exact;
    expect(exactFor({})).toBe(true);
    expect(exactFor({ policies: [{ match: 'PCI*', hours: { high: 1 }, sources: ['elsewhere'] }] })).toBe(true);
    expect(exactFor({ policies: [{ match: 'PCI*', hours: { high: 1 } }] })).toBe(false);
    expect(exactFor({ calendar: { timeZone: 'Europe/Berlin' } })).toBe(false);
    expect(exactFor({}, { sla: SourceSlaConfig.parse({ calendar: { timeZone: 'UTC' } }) })).toBe(false);
  });
});
