import { z } from 'zod';
import type { ConfigHelpers, VendorSourceConfig } from '../../../src/config/schema.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { isValidTimeZone } from './local-time.js';

/** Enforce's page-size cap, as Broadcom's sample scripts state it. */
export const MAX_PAGE_SIZE = 10_000;
/** The one status id every Enforce server shares (`incident.status.New`); all others are per deployment. */
export const NEW_STATUS_ID = 1;
const API_PATH = /\/ProtectManager\/webservices\/v2\/?$/;

/**
 * How "assign" is written, because the v2 API has no assignee field:
 * - `dataOwner`: the incident's data owner (`dataOwnerEmail` gets the person's id, `dataOwnerName` their name);
 * - `customAttribute`: the custom attribute with this name (its column index is looked up per incident);
 * - `none`: assignments stay in dlp-bot.
 * Reading either field costs one editableAttributes call per incident, so the listing reads it only when needed
 * (see `assigneeRefreshHours`).
 */
const Assignment = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('dataOwner') }),
    z.strictObject({ type: z.literal('customAttribute'), name: z.string().trim().min(1) }),
    z.strictObject({ type: z.literal('none') }),
  ])
  .default({ type: 'dataOwner' })
  .describe('Where an assignment is written in Enforce (the v2 API has no assignee).');

const WriteBack = z
  .strictObject({
    enabled: z.boolean().default(false),
    status: z
      .string()
      .trim()
      .min(1)
      .default('SLA Breach')
      .describe('Enforce status name breached New incidents move to.'),
    note: z.boolean().default(true).describe('Also add "New for longer than its N-hour SLA" as an incident note.'),
    maxPerScan: z
      .int()
      .min(1)
      .optional()
      .describe(
        'At most this many incidents moved per scan; the rest follow on the next scans. Default: none, the whole breached backlog is written in the scan that finds it.',
      ),
  })
  .default({ enabled: false, status: 'SLA Breach', note: true })
  .describe('Move breached incidents that are still New to an "SLA Breach" status, as in the Broadcom example.');

export function symantecFields(h: ConfigHelpers) {
  return {
    baseUrl: apiUrl()
      .refine(
        (url) => API_PATH.test(new URL(url).pathname),
        'expected the API root, ending in /ProtectManager/webservices/v2',
      )
      .describe('Enforce REST API root, e.g. https://enforce.example.com/ProtectManager/webservices/v2.'),
    usernameEnv: h.secretFromEnv('Environment variable holding the Enforce API user (AD accounts: user:DOMAIN).'),
    passwordEnv: h.secretFromEnv("Environment variable holding that user's password."),
    timeZone: z
      .string()
      .refine(isValidTimeZone, 'unknown IANA time zone (e.g. "Europe/Berlin")')
      .default('UTC')
      .describe("The Enforce server's own time zone: its localDateTime values are naive wall times on that clock."),
    pageSize: z.int().min(1).max(MAX_PAGE_SIZE).default(1_000),
    listStatuses: z
      .array(z.string().trim().min(1))
      .min(1)
      .default(['New'])
      .describe('Enforce status names to list (awaiting triage). The write-back status is added when enabled.'),
    falsePositiveStatus: z.string().trim().min(1).default('False Positive'),
    assignment: Assignment,
    assigneeRefreshHours: z
      .number()
      .positive()
      .max(168)
      .default(4)
      .describe(
        "The query cannot select the assignee, so scans read it (one editableAttributes call) for incidents the scan draws a card for and those whose listed severity or status changed, and otherwise once per this many hours of each incident's age; an assignment made in the Enforce console shows within this bound plus one scan. Incidents new to the store without a card are read at their first refresh; triage actions read the incident fresh.",
      ),
    writeBack: WriteBack,
    consoleUrl: z
      .string()
      .regex(/^https?:\/\/[^\s]+\{id\}/, 'expected an http(s) URL containing {id}')
      .optional()
      .describe("Deep link to an incident; {id} is replaced by the id. Default: Enforce's own IncidentDetail.do link."),
  };
}

/** A symantec source entry as its config fields parse it. */
export type SymantecConfig = VendorSourceConfig<ReturnType<typeof symantecFields>>;

/** Enforce's incident page as its own UI links it (Broadcom and IBM build the same URL). */
export function defaultConsoleUrl(baseUrl: string): string {
  const { origin } = new URL(baseUrl);
  return `${origin}/ProtectManager/IncidentDetail.do?value(variable_1)=incident.id&value(operator_1)=incident.id_in&value(operand_1)={id}`;
}
