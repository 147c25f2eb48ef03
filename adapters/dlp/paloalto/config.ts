import { z } from 'zod';
import type { ConfigHelpers, FieldProblem, SourceConfig, VendorSourceConfig } from '../../../src/config/schema.js';
import type { Secret } from '../../../src/config/secret.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { Severity } from '../../../src/domain/incident.js';
import { PAN_STATUSES } from './names.js';

/** The seed OpenAPI document's `/v4/incidents` surface, and the API Palo Alto publishes on pan.dev. */
export const PAN_APIS = ['seed', 'published'] as const;
export type PanApi = (typeof PAN_APIS)[number];

export const PAN_REGIONS = ['us', 'eu', 'uk', 'jp', 'in', 'ap', 'ca', 'au', 'par'] as const;
export const PAN_ACTIONS = ['alert', 'block', 'none'] as const;

export const DEFAULT_TOKEN_URL = 'https://auth.apps.paloaltonetworks.com/oauth2/access_token';
const BASE_URLS: Readonly<Record<PanApi, string>> = {
  seed: 'https://api.dlp.paloaltonetworks.com/v4',
  published: 'https://api.dlp.paloaltonetworks.com',
};

/**
 * The published API carries no severity at all (neither the v2 list nor the detail has one), so it is derived:
 * a data profile's entry wins over the action's, and `default` covers the rest.
 */
const SeverityRules = z.strictObject({
  default: Severity.default('medium'),
  byAction: z.partialRecord(z.enum(PAN_ACTIONS), Severity).default({}),
  byDataProfile: z.record(z.string().min(1), Severity).default({}),
});
export type SeverityRules = z.infer<typeof SeverityRules>;

/** Keys that mean something to one API only; giving one to the other is a mistake worth stopping at. */
const ONLY_FOR: Readonly<Record<string, PanApi>> = {
  listStatuses: 'seed',
  region: 'published',
  lookbackDays: 'published',
  severity: 'published',
};

export function paloaltoFields(h: ConfigHelpers) {
  return {
    api: z
      .enum(PAN_APIS)
      .default('seed')
      .describe('seed: the /v4/incidents surface of the seed spec; published: the API documented on pan.dev.'),
    baseUrl: apiUrl()
      .optional()
      .describe(`API base URL. Default: ${BASE_URLS.seed} (seed) or ${BASE_URLS.published} (published).`),
    tokenUrl: apiUrl().default(DEFAULT_TOKEN_URL).describe('OAuth2 client-credentials token endpoint (SASE).'),
    tsgId: z.string().regex(/^\d+$/, 'expected the numeric tenant service group id').optional(),
    clientIdEnv: h.secretFromEnv('Environment variable holding the service account client id.'),
    clientSecretEnv: h.secretFromEnv('Environment variable holding the service account client secret.'),
    consoleUrl: z
      .string()
      .regex(/^https:\/\/[^\s]+\{id\}/, 'expected an https URL containing {id}')
      .optional()
      .describe('Deep link to an incident in the console; {id} is replaced by the incident id.'),
    pageSize: z.int().min(1).max(500).default(500).describe('Records per list request.'),
    listStatuses: z.array(z.enum(PAN_STATUSES)).min(1).optional(),
    region: z.enum(PAN_REGIONS).optional().describe('Published API: the region incidents live in (default us).'),
    lookbackDays: z
      .int()
      .min(1)
      .max(365)
      .optional()
      .describe('Published API: how far back a full scan lists incidents (default 30).'),
    severity: SeverityRules.optional(),
  };
}

/** A paloalto source entry as its config fields parse it; keys of one API only are still optional here. */
export type PaloAltoSourceConfig = VendorSourceConfig<ReturnType<typeof paloaltoFields>>;

/** Keys given to the API that does not take them, and the published API's required tenant. */
export function paloaltoRules(source: PaloAltoSourceConfig): FieldProblem[] {
  const { api } = source;
  const problems: FieldProblem[] = [];
  for (const [key, only] of Object.entries(ONLY_FOR)) {
    if (source[key] !== undefined && only !== api) {
      problems.push({ path: [key], message: `${key} applies to api: ${only} only (this source uses api: ${api})` });
    }
  }
  if (api === 'published' && source.tsgId === undefined) {
    problems.push({
      path: ['tsgId'],
      message: 'api: published needs tsgId: the token is requested with scope=tsg_id:<tsgId>',
    });
  }
  return problems;
}

/** The seed API's settings with every default filled in. */
export function resolveSeedConfig(config: PaloAltoSourceConfig) {
  return {
    ...config,
    baseUrl: config.baseUrl ?? BASE_URLS.seed,
    listStatuses: config.listStatuses ?? ['open', 'in_review'],
  };
}

export interface PublishedConfig extends SourceConfig {
  baseUrl: string;
  tokenUrl: string;
  tsgId: string;
  clientIdEnv: Secret;
  clientSecretEnv: Secret;
  consoleUrl?: string | undefined;
  pageSize: number;
  region: (typeof PAN_REGIONS)[number];
  lookbackDays: number;
  severity: SeverityRules;
}

/** The published API's settings with every default filled in (validate() has made sure tsgId is there). */
export function resolvePublishedConfig(config: PaloAltoSourceConfig): PublishedConfig {
  return {
    ...config,
    baseUrl: config.baseUrl ?? BASE_URLS.published,
    tsgId: config.tsgId ?? '',
    region: config.region ?? 'us',
    lookbackDays: config.lookbackDays ?? 30,
    severity: config.severity ?? SeverityRules.parse({}),
  };
}
