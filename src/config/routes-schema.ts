import { z } from 'zod';
import { SEVERITIES } from '../domain/incident.js';
import { RouteDigestConfig } from './schedules-schema.js';
import { CalendarConfig } from './sla-schema.js';

/**
 * Which channels an incident is announced in. Every route whose conditions all hold adds its channels;
 * an incident no route matches goes to each surface's default channel.
 */
export const RouteConfig = z.strictObject({
  /** Names the route's digest job (`digest:<name>`); default `route-<n>`, n counting from 1. */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes (e.g. "emea")')
    .optional(),
  sources: z.array(z.string().min(1)).min(1).optional(),
  severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
  /** Policy names; `*` and `?` are wildcards; case-insensitive. */
  policies: z.array(z.string().min(1)).min(1).optional(),
  /** Channel ids per surface, e.g. `{ slack: [C0123ABCD] }`. */
  channels: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  /** The team's time zone, working days and holidays: when its digest is posted (working hours are not used). */
  calendar: CalendarConfig.optional(),
  digest: RouteDigestConfig.optional(),
});
export type RouteConfig = z.infer<typeof RouteConfig>;

export const NotifyConfig = z.strictObject({
  /** Once one delivery would post more new messages than this in one channel, the rest go in a roll-up thread. */
  rollupAfter: z.int().min(1).max(500).default(20),
});
export type NotifyConfig = z.infer<typeof NotifyConfig>;
