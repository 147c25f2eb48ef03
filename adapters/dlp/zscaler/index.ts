import { z } from 'zod';
import { apiUrl } from '../../../src/config/url-schema.js';
import { lazySource } from '../../../src/lazy-source.js';
import type { AdapterDefinition, Capabilities } from '../../../src/ports.js';
import type { ZscalerConfig } from './client.js';
import { PUBLISHED_LIMITS } from './limits.js';

const DISPLAY_NAME = 'Zscaler Workflow Automation';

/**
 * Notes, false positive (close with FALSE_POSITIVE) and snippets (triggers) are real API calls; search takes a
 * time range, so scans are incremental. ZWA has no assignment API: without a label configured to carry the
 * assignee the core records assignments itself; with one, assign sets the label, and the receipt still says
 * "recorded here". No write-back yet.
 */
export function capabilitiesFor(config: Pick<ZscalerConfig, 'assigneeLabel'>): Capabilities {
  return {
    assign: Boolean(config.assigneeLabel),
    note: true,
    falsePositive: true,
    snippets: true,
    writeBack: false,
    incremental: true,
  };
}

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

/** Every ZWA request names its endpoint class, so the client-wide pacing keys would be silently ignored. */
const CLIENT_WIDE_PACING = ['requestsPerMinute', 'requestsPerHour'] as const;

export const zscaler: AdapterDefinition = {
  vendor: 'zscaler',
  displayName: DISPLAY_NAME,
  config: {
    vendor: 'zscaler',
    fields: (h) => ({
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
    }),
    validate(source) {
      const http = source.http as Partial<Record<(typeof CLIENT_WIDE_PACING)[number], number>> | undefined;
      return CLIENT_WIDE_PACING.filter((key) => http?.[key] !== undefined).map((key) => ({
        path: ['http', key],
        message: `ZWA is paced per endpoint class: set rateLimits.medium/light instead of http.${key}`,
      }));
    },
  },
  endpoint: (config) => ({ url: (config as ZscalerConfig).baseUrl }),
  capabilities: (config) => capabilitiesFor(config as ZscalerConfig),
  create(config, deps) {
    const zwa = config as ZscalerConfig;
    // The client, paging and mapping load on the source's first call, not when a command starts.
    return lazySource(
      { id: zwa.id, vendor: 'zscaler', displayName: DISPLAY_NAME, capabilities: capabilitiesFor(zwa) },
      async () => (await import('./source.js')).createZwaCalls(zwa, deps),
    );
  },
  // The simulator (and its dataset) loads only when the sandbox or `simulate` starts one, not on every command.
  startSimulator: async (options) => (await import('./sandbox.js')).startSandboxSimulator(options),
};
