import { z } from 'zod';
import { VendorId } from '../../../src/domain/vendor-id.js';
import { PAN_STATUSES } from './names.js';

/**
 * The seed OpenAPI document's shapes (spec/paloalto-dlp-openapi.yml, a verbatim copy of the seed). Loose objects: vendors add
 * fields, and an unknown field must never make a record unreadable. Only what the mapper reads is typed.
 */
export const PAN_SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;

const dateTime = z.iso.datetime({ offset: true });
const optionalText = z.string().nullish();

/** The fields `mapIncident` reads. */
const MAPPED_FIELDS = {
  incident_id: VendorId,
  status: z.enum(PAN_STATUSES),
  severity: z.enum(PAN_SEVERITIES),
  timestamp: dateTime,
  data_pattern_name: optionalText,
  match_count: z.int().nonnegative().nullish(),
  channel: optionalText,
  user: optionalText,
  application: optionalText,
  file_name: optionalText,
  reviewed_at: dateTime.nullish(),
};

export const PanIncident = z.looseObject({
  ...MAPPED_FIELDS,
  reviewer_comments: optionalText,
  reviewed_by: optionalText,
});
export type PanIncident = z.infer<typeof PanIncident>;

/**
 * A listed record as the scan reads it: only what the mapper reads is validated, and `z.object` leaves every other
 * field out instead of copying it (an unknown field still never makes the record unreadable).
 */
export const PanListedIncident = z.object(MAPPED_FIELDS);
export type PanListedIncident = z.infer<typeof PanListedIncident>;

/**
 * Records are validated one by one (a bad one is skipped), so the page checks only what paging reads: the records'
 * list, and `total` when it can be a count (anything else is no total: paging then ends on a short page).
 * `offset` and `limit` echo the request and are not read, so no value there rejects a page.
 */
export const PanIncidentPage = z.looseObject({
  total: z.int().nonnegative().nullish().catch(null),
  incidents: z.array(z.unknown()),
});

export const PanSnippets = z.looseObject({
  incident_id: z.string().nullish(),
  snippets: z.array(
    z.looseObject({
      pattern_name: optionalText,
      snippet: z.string(),
    }),
  ),
});

export const PanToken = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});
