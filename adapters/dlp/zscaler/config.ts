import { z } from 'zod';
import type { ConfigHelpers, VendorSourceConfig } from '../../../src/config/schema.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { PUBLISHED_LIMITS } from './limits.js';

/** A limit the config may lower (another tool sharing the key) but never raise past what Zscaler publishes. */
const limitField = (max: { perMinute: number; perHour: number }) =>
  z
    .strictObject({
      perMinute: z
        .int()
        .min(1)
        .max(max.perMinute, `at most ${max.perMinute}, the limit Zscaler publishes; it may only be lowered`)
        .default(max.perMinute),
      perHour: z
        .int()
        .min(1)
        .max(max.perHour, `at most ${max.perHour}, the limit Zscaler publishes; it may only be lowered`)
        .default(max.perHour),
    })
    .default(max);

export function zscalerFields(h: ConfigHelpers) {
  return {
    baseUrl: apiUrl()
      .default('https://api.us1.zsworkflow.net')
      .describe('API host of your ZWA cloud, https://api.<cloud>.zsworkflow.net (us1 is the documented one).'),
    keyIdEnv: h.secretFromEnv('Environment variable holding the ZWA API Key ID (Setup > API Management).'),
    keySecretEnv: h.secretFromEnv("Environment variable holding that key's Key Secret."),
    pageSize: z.int().min(1).max(100).default(100).describe('Incidents per search page (the API allows 1..100).'),
    lookbackDays: z
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('A full pass searches incidents created in this many days.'),
    filters: z
      .array(
        z.strictObject({
          name: z.enum(['severity', 'priority', 'status']),
          value: z.array(z.string().min(1)).min(1),
        }),
      )
      .default([])
      .describe('Search `fields` filters, e.g. [{name: severity, value: [CRITICAL, HIGH]}]; values are ORed.'),
    assigneeLabel: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe("A label (already defined in Setup > Labels) set to the assignee's email on Assign."),
    rateLimits: z
      .strictObject({ medium: limitField(PUBLISHED_LIMITS.medium), light: limitField(PUBLISHED_LIMITS.light) })
      .default({ medium: { ...PUBLISHED_LIMITS.medium }, light: { ...PUBLISHED_LIMITS.light } })
      .describe('Pacing per endpoint class: medium = search/notes/labels, light = GETs/close. Lower only.'),
    consoleUrl: z
      .string()
      .regex(/^https:\/\/[^\s]+\{id\}/, 'expected an https URL containing {id}')
      .optional()
      .describe('Deep link to an incident in the ZWA Admin Portal; {id} is replaced by the incident id.'),
  };
}

/** A zscaler source entry as its config fields parse it. */
export type ZscalerConfig = VendorSourceConfig<ReturnType<typeof zscalerFields>>;

/** Every ZWA request names its endpoint class, so these keys would pace nothing. */
const CLIENT_WIDE_PACING = ['requestsPerMinute', 'requestsPerHour'] as const;

/** Client-wide pacing keys would be silently ignored: refused, pointing at the per-class limits. */
export function zscalerRules(source: ZscalerConfig) {
  return CLIENT_WIDE_PACING.filter((key) => source.http[key] !== undefined).map((key) => ({
    path: ['http', key],
    message: `ZWA is paced per endpoint class: set rateLimits.medium/light instead of http.${key}`,
  }));
}
