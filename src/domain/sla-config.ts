import { z } from 'zod';
import { INCIDENT_STATUSES, SEVERITIES } from './incident.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hours = z
  .number()
  .positive()
  .max(24 * 365)
  .describe('Hours allowed before the SLA is breached.');

/** Hours per severity; every key optional so an override can change one severity only. */
export const SeverityHours = z.strictObject(
  Object.fromEntries(SEVERITIES.map((s) => [s, hours.optional()])) as Record<
    (typeof SEVERITIES)[number],
    z.ZodOptional<typeof hours>
  >,
);
export type SeverityHours = z.infer<typeof SeverityHours>;

export const DEFAULT_HOURS = { critical: 2, high: 4, medium: 8, low: 12, info: 16 } as const;

export const isValidTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected a time like "09:00" (24-hour clock)')
  .refine((t) => t <= '24:00', 'expected a time no later than "24:00"');

/** Business calendar: the SLA clock runs only inside working hours on working days that are not holidays. */
export const CalendarConfig = z
  .strictObject({
    timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone (e.g. "Europe/Berlin")'),
    workingDays: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    workingHours: z.strictObject({ start: clockTime, end: clockTime }).default({ start: '09:00', end: '17:00' }),
    holidays: z.array(z.iso.date()).default([]),
  })
  .refine((c) => c.workingHours.start < c.workingHours.end, {
    message: 'workingHours.start must be before workingHours.end',
    path: ['workingHours'],
  });
export type CalendarConfig = z.infer<typeof CalendarConfig>;

export const AwaitingTriage = z
  .array(z.enum(INCIDENT_STATUSES))
  .min(1)
  .describe('Normalised statuses in which an incident still waits for a first response.');

export const PolicyOverride = z.strictObject({
  match: z.string().min(1).describe('Policy name; `*` and `?` are wildcards; case-insensitive.'),
  sources: z.array(z.string()).optional().describe('Only for these source ids (default: all).'),
  hours: SeverityHours,
});
export type PolicyOverride = z.infer<typeof PolicyOverride>;

export const SlaConfig = z.strictObject({
  hours: SeverityHours.default({}),
  dueSoonAt: z.number().gt(0).lt(1).default(0.75).describe('Share of the window after which an incident is due soon.'),
  escalateAt: z.number().gt(1).default(2).describe('Multiple of the window after which a breach is escalated.'),
  awaitingTriage: AwaitingTriage.default(['new', 'open']),
  calendar: CalendarConfig.optional(),
  policies: z.array(PolicyOverride).default([]),
});
export type SlaConfig = z.infer<typeof SlaConfig>;

/** What a single source may override. */
export const SourceSlaConfig = z.strictObject({
  hours: SeverityHours.optional(),
  awaitingTriage: AwaitingTriage.optional(),
  calendar: CalendarConfig.optional(),
});
export type SourceSlaConfig = z.infer<typeof SourceSlaConfig>;
