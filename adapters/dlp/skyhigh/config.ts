import { z } from 'zod';
import type { ConfigHelpers, VendorSourceConfig } from '../../../src/config/schema.js';
import { apiUrl } from '../../../src/config/url-schema.js';
import { CATEGORY_NAMES, FIELD_NAMES, INCIDENT_TYPES, MAX_QUERY_LIMIT } from './names.js';

const Category = z.strictObject({
  incidentType: z
    .string()
    .regex(
      new RegExp(`^(${INCIDENT_TYPES.join('|')})(\\.[A-Za-z]+)*$`),
      'expected Alert or Threat, or a dotted incident group such as Alert.Policy.Dlp',
    ),
  category: z.enum(CATEGORY_NAMES).optional(),
});

export function skyhighFields(h: ConfigHelpers) {
  return {
    baseUrl: apiUrl()
      .regex(/\/shnapi\/rest\/external\/api\/?$/, 'expected the API base ending in /shnapi/rest/external/api')
      .default('https://www.myshn.net/shnapi/rest/external/api')
      .describe('Regional API base (www.myshn.net, www.myshn.eu, www.myshn.ca, www.govshn.net), including the path.'),
    usernameEnv: h.secretFromEnv('Environment variable holding the Skyhigh user (an email) with Incident Management.'),
    passwordEnv: h.secretFromEnv("Environment variable holding that user's password."),
    auth: z
      .enum(['basic', 'token'])
      .default('basic')
      .describe('basic: HTTP Basic on every call (what every known client does); token: an IAM bearer token.'),
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'expected the tenant GUID')
      .optional()
      .describe('Token mode, for users in several tenants: sent as bps-tenant-id.'),
    tokenExchangeUrl: apiUrl()
      .optional()
      .describe('Token mode: also exchange the IAM token at this neo auth URL (…/neo/neo-auth-service/oauth/token).'),
    tokenLifetimeSec: z
      .int()
      .min(60)
      .max(3_600)
      .default(600)
      .describe('Token mode: how long an IAM token is trusted (the answer gives no lifetime; docs say 10-15 min).'),
    limit: z
      .int()
      .min(1)
      .max(MAX_QUERY_LIMIT)
      .default(MAX_QUERY_LIMIT)
      .describe(`Incidents per queryIncidents page (the server caps at ${MAX_QUERY_LIMIT}).`),
    lookbackDays: z
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('A full pass reads every incident modified in this many days; older, untouched ones drop out.'),
    categories: z
      .array(Category)
      .default([{ incidentType: 'Alert', category: 'Policy' }])
      .describe('incidentCriteria.categories; [] for every incident type. Default: policy (DLP) alerts.'),
    product: z.enum(['SANCTIONED', 'SHADOW']).default('SANCTIONED'),
    fields: z
      .partialRecord(z.enum(FIELD_NAMES), z.array(z.string().min(1)).min(1))
      .optional()
      .describe('incidentCriteria.fields, e.g. { policyName: [PII - SSN] }: ANDed fields, ORed values.'),
    consoleUrl: z
      .string()
      .regex(/^https:\/\/[^\s]+\{id\}/, 'expected an https URL containing {id}')
      .optional()
      .describe('Deep link to an incident in the console; {id} is replaced by the incident id.'),
  };
}

/** A skyhigh source entry as its config fields parse it. */
export type SkyhighConfig = VendorSourceConfig<ReturnType<typeof skyhighFields>>;
