import { z } from 'zod';
import { SEVERITIES } from '../domain/incident.js';

/**
 * Which channels an incident is announced in. Every route whose conditions all hold adds its channels;
 * an incident no route matches goes to each surface's default channel.
 */
export const RouteConfig = z.strictObject({
  sources: z.array(z.string().min(1)).min(1).optional(),
  severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
  /** Policy names; `*` and `?` are wildcards; case-insensitive. */
  policies: z.array(z.string().min(1)).min(1).optional(),
  /** Channel ids per surface, e.g. `{ slack: [C0123ABCD] }`. */
  channels: z.record(z.string(), z.array(z.string().min(1)).min(1)),
});
export type RouteConfig = z.infer<typeof RouteConfig>;

export const NotifyConfig = z.strictObject({
  /** Once one delivery would post more new messages than this in one channel, the rest go in a roll-up thread. */
  rollupAfter: z.int().min(1).max(500).default(20),
});
export type NotifyConfig = z.infer<typeof NotifyConfig>;
