import { z } from 'zod';
import { SEVERITIES } from '../domain/incident.js';
import { CalendarConfig } from '../domain/sla-config.js';
import { RouteDigestConfig } from './schedules-schema.js';

/** How a channel is written on each surface, for the message that shows a route's forms; others get a placeholder. */
const CHANNEL_EXAMPLES: Readonly<Record<string, string>> = {
  slack: 'C0123ABCD',
  teams: '"19:…@thread.tacv2"',
  console: 'terminal',
};

/** What `channels` holds, with one form per registered surface (`{ console: [terminal] }`, …). */
function channelForms(surfaceKeys: readonly string[]): string {
  const forms = surfaceKeys.map((key) => `{ ${key}: [${CHANNEL_EXAMPLES[key] ?? '<channel id>'}] }`);
  const listed = forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}` : forms.join('');
  return `the channels this route posts to, per chat surface${listed ? `, e.g. channels: ${listed}` : ''}`;
}

/**
 * Which channels an incident is announced in. Every route whose conditions all hold adds its channels;
 * an incident no route matches goes to each surface's default channel. `surfaceKeys`, the registered chat
 * surfaces, only shape the message for a route that names no channels.
 */
export function routeConfigFor(surfaceKeys: readonly string[]) {
  const forms = channelForms(surfaceKeys);
  const required = `required: ${forms}`;
  return z.strictObject({
    /** Names the route's digest job (`digest:<name>`); default `route-<n>`, n counting from 1. */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes (e.g. "emea")')
      .optional(),
    sources: z.array(z.string().min(1)).min(1).optional(),
    severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
    /** Policy names; `*` and `?` are wildcards; case-insensitive. */
    policies: z.array(z.string().min(1)).min(1).optional(),
    /** Channel ids per surface, e.g. `{ slack: [C0123ABCD] }` or `{ console: [terminal] }`. */
    channels: z
      .record(z.string(), z.array(z.string().min(1)).min(1), {
        error: (issue) => {
          if (issue.code !== 'invalid_type') return undefined;
          return issue.input === undefined ? required : `expected ${forms}`;
        },
      })
      // A route that posts nowhere is a mistake, never a way to silence incidents.
      .refine((channels) => Object.keys(channels).length > 0, required),
    /** The team's time zone, working days and holidays: when its digest is posted (working hours are not used). */
    calendar: CalendarConfig.optional(),
    digest: RouteDigestConfig.optional(),
  });
}

/** A route as the notifier reads it; the schema's message there names no surfaces (the config's names them all). */
export const RouteConfig = routeConfigFor([]);
export type RouteConfig = z.infer<typeof RouteConfig>;

export const NotifyConfig = z.strictObject({
  /** Once one delivery would post more new messages than this in one channel, the rest go in a roll-up thread. */
  rollupAfter: z.int().min(1).max(500).default(20),
});
export type NotifyConfig = z.infer<typeof NotifyConfig>;
