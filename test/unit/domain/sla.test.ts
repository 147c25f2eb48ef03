import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { wallClockCalendar } from '../../../src/domain/calendar.js';
import type { Incident } from '../../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla, SLA_STATES, type SlaTimes, slaTimes, stateAt } from '../../../src/domain/sla.js';
import { SlaConfig, SourceSlaConfig } from '../../../src/domain/sla-config.js';
import { compileWildcard } from '../../../src/domain/sla-policy.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);

type SlaInput = z.input<typeof SlaConfig>;
type Source = { id: string; sla?: z.input<typeof SourceSlaConfig> };

const policyOf = (sla: SlaInput = {}, sources: Source[] = []) =>
  createSlaPolicy(
    SlaConfig.parse(sla),
    sources.map(({ id, sla }) => ({ id, sla: sla && SourceSlaConfig.parse(sla) })),
  );

const incident = (
  fields: Partial<Pick<Incident, 'source' | 'severity' | 'policy' | 'createdAt' | 'status'>> = {},
): Pick<Incident, 'source' | 'severity' | 'policy' | 'createdAt' | 'status'> => ({
  source: 'pan-prod',
  severity: 'critical',
  policy: null,
  createdAt: at('2026-03-10T10:00:00Z'),
  status: 'new',
  ...fields,
});

const BERLIN_OFFICE = { timeZone: 'Europe/Berlin' } as const;

describe('SlaPolicy.windowHours', () => {
  it('should use the default hours for every severity when nothing is configured', () => {
    const policy = policyOf();
    const hours = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) =>
      policy.windowHours(incident({ severity })),
    );
    expect(hours).toEqual([2, 4, 8, 12, 16]);
  });

  it('should let global hours override single severities and keep the defaults for the rest', () => {
    const policy = policyOf({ hours: { high: 6 } });
    expect(policy.windowHours(incident({ severity: 'high' }))).toBe(6);
    expect(policy.windowHours(incident({ severity: 'low' }))).toBe(12);
  });

  it('should prefer source hours over global hours, only for that source', () => {
    const policy = policyOf({ hours: { critical: 3, medium: 9 } }, [
      { id: 'pan-prod', sla: { hours: { critical: 1 } } },
    ]);
    expect(policy.windowHours(incident({ source: 'pan-prod' }))).toBe(1);
    expect(policy.windowHours(incident({ source: 'pan-prod', severity: 'medium' }))).toBe(9);
    expect(policy.windowHours(incident({ source: 'ns-prod' }))).toBe(3);
  });

  it('should apply a policy override matched by wildcard, case-insensitively', () => {
    const policy = policyOf({ policies: [{ match: 'pci*card?', hours: { critical: 0.5 } }] });
    expect(policy.windowHours(incident({ policy: 'PCI - Credit Cards' }))).toBe(0.5);
    expect(policy.windowHours(incident({ policy: 'PCI - Credit Card' }))).toBe(2);
    expect(policy.windowHours(incident({ policy: 'HIPAA' }))).toBe(2);
  });

  it('should restrict a policy override to its sources', () => {
    const policy = policyOf({ policies: [{ match: 'PCI*', sources: ['pan-prod'], hours: { critical: 1 } }] }, [
      { id: 'pan-prod' },
      { id: 'ns-prod' },
    ]);
    expect(policy.windowHours(incident({ source: 'pan-prod', policy: 'PCI' }))).toBe(1);
    expect(policy.windowHours(incident({ source: 'ns-prod', policy: 'PCI' }))).toBe(2);
    expect(policy.windowHours(incident({ source: 'unconfigured', policy: 'PCI' }))).toBe(2);
  });

  it('should take the first matching override that sets the severity, ahead of source and global hours', () => {
    const policy = policyOf(
      {
        hours: { high: 5 },
        policies: [
          { match: 'PCI*', hours: { critical: 1 } },
          { match: '*EU*', hours: { critical: 1.5, high: 3 } },
          { match: 'PCI EU', hours: { high: 2 } },
        ],
      },
      [{ id: 'pan-prod', sla: { hours: { critical: 4, high: 7 } } }],
    );
    expect(policy.windowHours(incident({ policy: 'PCI EU' }))).toBe(1);
    // The first override leaves `high` alone, so the second one decides.
    expect(policy.windowHours(incident({ policy: 'PCI EU', severity: 'high' }))).toBe(3);
    expect(policy.windowHours(incident({ policy: 'PCI US', severity: 'high' }))).toBe(7);
    expect(policy.windowHours(incident({ policy: 'PCI US', severity: 'high', source: 'other' }))).toBe(5);
  });

  it('should never match an incident without a policy name, not even with "*"', () => {
    const policy = policyOf({ policies: [{ match: '*', hours: { critical: 1 } }] });
    expect(policy.windowHours(incident({ policy: null }))).toBe(2);
    expect(policy.windowHours(incident({ policy: '' }))).toBe(1);
  });
});

describe('compileWildcard', () => {
  it('should treat regex specials literally', () => {
    const matches = compileWildcard('PCI (EU) [v2].+$^|{1}\\/');
    expect(matches('pci (eu) [v2].+$^|{1}\\/')).toBe(true);
    expect(compileWildcard('a.c')('abc')).toBe(false);
    expect(compileWildcard('a+')('aa')).toBe(false);
  });

  it('should match exactly one character with "?" and any run, including none, with "*"', () => {
    expect(compileWildcard('a?c')('abc')).toBe(true);
    expect(compileWildcard('a?c')('ac')).toBe(false);
    expect(compileWildcard('a?c')('abbc')).toBe(false);
    expect(compileWildcard('a*c')('ac')).toBe(true);
    expect(compileWildcard('a*b*c')('a-c-b-c')).toBe(true);
    expect(compileWildcard('a*b*c')('a-c-b-')).toBe(false);
    expect(compileWildcard('*card')('cards')).toBe(false);
    expect(compileWildcard('a*a')('a')).toBe(false);
    expect(compileWildcard('?')('€')).toBe(true);
    expect(compileWildcard('x')('line\nx')).toBe(false);
    expect(compileWildcard('*x')('line\nx')).toBe(true);
  });

  it('should stay fast on long names that almost match many stars', () => {
    const matches = compileWildcard('*a*a*a*a*a*a*b');
    expect(matches('a'.repeat(1024))).toBe(false);
    expect(matches(`${'a'.repeat(1023)}b`)).toBe(true);
  });
});

describe('SlaPolicy.isAwaitingTriage and calendarFor', () => {
  const policy = policyOf({ awaitingTriage: ['new'], calendar: BERLIN_OFFICE }, [
    { id: 'pan-prod', sla: { awaitingTriage: ['new', 'open', 'in_review'] } },
    { id: 'ns-prod', sla: { calendar: { timeZone: 'America/New_York' } } },
  ]);

  it('should use the source list of awaiting-triage statuses, else the global one', () => {
    expect(policy.isAwaitingTriage({ source: 'pan-prod', status: 'in_review' })).toBe(true);
    expect(policy.isAwaitingTriage({ source: 'pan-prod', status: 'resolved' })).toBe(false);
    expect(policy.isAwaitingTriage({ source: 'ns-prod', status: 'new' })).toBe(true);
    expect(policy.isAwaitingTriage({ source: 'ns-prod', status: 'open' })).toBe(false);
    expect(policy.isAwaitingTriage({ source: 'unconfigured', status: 'open' })).toBe(false);
  });

  it('should default to new and open', () => {
    expect(policyOf().isAwaitingTriage({ source: 'x', status: 'open' })).toBe(true);
    expect(policyOf().isAwaitingTriage({ source: 'x', status: 'in_review' })).toBe(false);
  });

  it('should use the source calendar, else the global one, else the wall clock', () => {
    expect(policy.calendarFor('ns-prod').description).toBe('Mon–Fri 09:00–17:00 America/New_York');
    expect(policy.calendarFor('pan-prod').description).toBe('Mon–Fri 09:00–17:00 Europe/Berlin');
    expect(policy.calendarFor('unconfigured').description).toBe('Mon–Fri 09:00–17:00 Europe/Berlin');
    expect(policyOf().calendarFor('pan-prod')).toBe(wallClockCalendar);
  });
});

describe('SlaPolicy.describe', () => {
  it('should list the default, each overriding source and each policy override', () => {
    const policy = policyOf(
      { hours: { low: 24 }, policies: [{ match: 'PCI*', sources: ['ns-prod'], hours: { critical: 1 } }] },
      [
        { id: 'pan-prod', sla: {} },
        { id: 'ns-prod', sla: { hours: { high: 3 }, calendar: BERLIN_OFFICE } },
      ],
    );
    expect(policy.describe()).toEqual([
      {
        scope: 'default',
        hours: { critical: 2, high: 4, medium: 8, low: 24, info: 16 },
        awaitingTriage: ['new', 'open'],
        calendar: '24×7 (wall clock)',
      },
      {
        scope: 'source ns-prod',
        hours: { critical: 2, high: 3, medium: 8, low: 24, info: 16 },
        awaitingTriage: ['new', 'open'],
        calendar: 'Mon–Fri 09:00–17:00 Europe/Berlin',
        note: 'overrides hours, calendar',
      },
      {
        scope: 'policy "PCI*"',
        hours: { critical: 1, high: 3, medium: 8, low: 24, info: 16 },
        awaitingTriage: ['new', 'open'],
        calendar: 'Mon–Fri 09:00–17:00 Europe/Berlin',
        note: 'sets critical; only ns-prod',
      },
    ]);
  });
});

describe('slaTimes and stateAt', () => {
  const created = at('2026-03-10T10:00:00Z');
  const times = slaTimes(incident({ createdAt: created }), policyOf());

  it('should place the thresholds at 0.75×, 1× and 2× the window by default', () => {
    expect(times).toEqual({
      windowMs: 2 * HOUR,
      dueSoonAt: later(created, 90 * MINUTE),
      deadline: later(created, 2 * HOUR),
      escalatesAt: later(created, 4 * HOUR),
    });
  });

  it.each([
    [0, 'ok'],
    [90 * MINUTE - 1, 'ok'],
    [90 * MINUTE, 'due_soon'],
    [2 * HOUR - 1, 'due_soon'],
    [2 * HOUR, 'breached'],
    [4 * HOUR - 1, 'breached'],
    [4 * HOUR, 'escalated'],
  ] as const)('should be in the right state %d ms after creation', (elapsed, expected) => {
    expect(stateAt(times, later(created, elapsed))).toBe(expected);
  });

  it('should honour configured dueSoonAt and escalateAt', () => {
    const custom = slaTimes(incident({ createdAt: created }), policyOf({ dueSoonAt: 0.5, escalateAt: 3 }));
    expect(stateAt(custom, later(created, HOUR - 1))).toBe('ok');
    expect(stateAt(custom, later(created, HOUR))).toBe('due_soon');
    expect(stateAt(custom, later(created, 6 * HOUR - 1))).toBe('breached');
    expect(stateAt(custom, later(created, 6 * HOUR))).toBe('escalated');
  });

  it('should run the thresholds on the business calendar', () => {
    const policy = policyOf({ calendar: BERLIN_OFFICE });
    const friday = at('2026-03-06T16:00:00+01:00');
    expect(slaTimes(incident({ severity: 'high', createdAt: friday }), policy)).toEqual({
      windowMs: 4 * HOUR,
      dueSoonAt: at('2026-03-09T11:00:00+01:00'),
      deadline: at('2026-03-09T12:00:00+01:00'),
      escalatesAt: at('2026-03-09T16:00:00+01:00'),
    });
  });

  it('should list the states in escalation order', () => {
    expect(SLA_STATES).toEqual(['ok', 'due_soon', 'breached', 'escalated']);
  });
});

describe('evaluateSla', () => {
  const created = at('2026-03-10T10:00:00Z');
  const policy = policyOf();

  it('should return null once the incident no longer awaits triage', () => {
    expect(evaluateSla(incident({ status: 'in_review' }), policy, created)).toBeNull();
    expect(evaluateSla(incident({ status: 'resolved' }), policy, later(created, 10 * HOUR))).toBeNull();
  });

  it('should report the remaining time before the deadline', () => {
    const evaluation = evaluateSla(incident({ status: 'open' }), policy, later(created, 30 * MINUTE));
    expect(evaluation).toMatchObject({ state: 'ok', remainingMs: 90 * MINUTE, overdueMs: 0, windowMs: 2 * HOUR });
  });

  it('should report wall-clock overdue time after the deadline', () => {
    const evaluation = evaluateSla(incident(), policy, later(created, 3 * HOUR));
    expect(evaluation).toMatchObject({ state: 'breached', remainingMs: 0, overdueMs: HOUR });
    expect(evaluation?.deadline).toEqual(later(created, 2 * HOUR));
  });

  it('should count overdue time on the wall clock even on a business calendar', () => {
    const office = policyOf({ calendar: BERLIN_OFFICE });
    // Deadline Friday 17:00; by Monday 09:00 the weekend has passed on the wall clock.
    const evaluation = evaluateSla(
      incident({ createdAt: at('2026-03-06T15:00:00+01:00') }),
      office,
      at('2026-03-09T09:00:00+01:00'),
    );
    expect(evaluation).toMatchObject({ state: 'breached', overdueMs: 64 * HOUR, remainingMs: 0 });
  });

  it('should report zero both ways exactly at the deadline', () => {
    const evaluation = evaluateSla(incident(), policy, later(created, 2 * HOUR));
    expect(evaluation).toMatchObject({ state: 'breached', remainingMs: 0, overdueMs: 0 });
  });
});

it('should keep the state monotonic for a fixed set of times', () => {
  const times: SlaTimes = {
    windowMs: HOUR,
    dueSoonAt: at('2026-01-01T01:00:00Z'),
    deadline: at('2026-01-01T02:00:00Z'),
    escalatesAt: at('2026-01-01T03:00:00Z'),
  };
  const states = [0, 1, 2, 3].map((h) => stateAt(times, at(`2026-01-01T0${h}:00:00Z`)));
  expect(states).toEqual(['ok', 'due_soon', 'breached', 'escalated']);
});
