import { createRequire } from 'node:module';
import { z } from 'zod';

/** node-cron takes ~15 ms to load; only a schedule written in a config file is checked with it, not the defaults. */
const isCronExpression = (expr: string) =>
  (createRequire(import.meta.url)('node-cron') as typeof import('node-cron')).validate(expr);

export const cronExpression = z
  .string()
  .refine((expr) => isCronExpression(expr), 'not a valid cron expression (e.g. "*/15 * * * *")');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time like "09:00" (24-hour clock)');

/** Channel ids per surface, e.g. `{ slack: [C0123ABCD] }`. */
export const Channels = z.record(z.string(), z.array(z.string().min(1)).min(1));

/**
 * The daily digest, one message per routed channel. Its time zone, working days and holidays are the route's
 * `calendar`, else `sla.calendar`, else UTC Monday to Friday.
 */
export const DigestConfig = z.strictObject({
  enabled: z.boolean().default(true),
  time: clockTime.default('09:00').describe('Local time of day the digest is posted, on working days.'),
});
export type DigestConfig = z.infer<typeof DigestConfig>;

/** A route's own digest settings; unset keys fall back to the top-level `digest`. */
export const RouteDigestConfig = z.strictObject({
  enabled: z.boolean().optional(),
  time: clockTime.optional(),
});
export type RouteDigestConfig = z.infer<typeof RouteDigestConfig>;

/** At the escalated state (≥ sla.escalateAt × the window): one post to the leads, one DM to the assignee. */
export const EscalationConfig = z.strictObject({
  leadChannels: Channels.default({}).describe('Where leads hear about escalations, per surface.'),
  directMessage: z.boolean().default(true).describe('Also send the assignee (when mapped to a chat user) a DM.'),
});
export type EscalationConfig = z.infer<typeof EscalationConfig>;

/** One DM with the card to the owner of an incident about to breach. Snoozing mutes reminders, never the SLA. */
export const RemindersConfig = z.strictObject({
  enabled: z.boolean().default(true),
  leadMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(60)
    .describe('Remind the owner when the SLA ends within this many minutes.'),
});
export type RemindersConfig = z.infer<typeof RemindersConfig>;

/** How often escalations and reminders are checked (they also run after every scan). */
export const NoticesConfig = z.strictObject({
  schedule: cronExpression.default('*/5 * * * *'),
});
export type NoticesConfig = z.infer<typeof NoticesConfig>;
