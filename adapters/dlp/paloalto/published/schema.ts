import { z } from 'zod';
import { VendorId } from '../../../../src/domain/vendor-id.js';

/**
 * The published API's shapes (pan.dev IncidentsAPI.yaml and ReportsAPI.yaml). Loose objects: vendors add fields,
 * and null fields are left out of responses, so almost everything is optional. Only what the adapter reads is typed.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CREATION_TIME = /^(\d{4})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT)$/;

/** `incident_creation_time` is `yyyy-MMM-dd HH:mm:ss z` ("2023-Dec-07 18:41:12 UTC"); only UTC is ever shown. */
export function parseCreationTime(text: string): Date | null {
  const m = CREATION_TIME.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return null;
  const [year, day, hour, minute, second] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as number[];
  const date = new Date(Date.UTC(year as number, month, day, hour, minute, second));
  // Date.UTC rolls "Feb-31" over into March; such a value is not a real time.
  return date.getUTCDate() === day && date.getUTCHours() === hour ? date : null;
}

const text = z.string().nullish();

/** `IncidentDTO`, one entry of the v2 list. */
export const PubIncident = z.looseObject({
  incident_id: VendorId,
  /** Goes into the report's URL path, so it is held to the id rule too. */
  report_id: VendorId.nullish(),
  incident_creation_time: z.string().refine((t) => parseCreationTime(t) !== null, 'expected yyyy-MMM-dd HH:mm:ss UTC'),
  action: text,
  channel: text,
  source: text,
  app_name: text,
  data_profile_id: z.number().int().nullish(),
  data_profile_name: text,
  file_name: text,
  file_type: text,
  user: text,
});
export type PubIncident = z.infer<typeof PubIncident>;

const MatchInfo = z.looseObject({
  name: text,
  hcf: z.int().nonnegative().nullish(),
  mcf: z.int().nonnegative().nullish(),
  lcf: z.int().nonnegative().nullish(),
});

/** `IncidentResponseDTO`: the list entry plus triage state and per-pattern match counts. */
export const PubIncidentDetail = PubIncident.extend({
  assignee_id: text,
  incident_notes: text,
  resolution_status: text,
  incident_feedback_status: text,
  match_info: z.record(z.string(), MatchInfo).nullish(),
});
export type PubIncidentDetail = z.infer<typeof PubIncidentDetail>;

/**
 * `PagedDataResponse<IncidentDTO>`; records are validated one by one, so only what paging reads is checked here.
 * `page.number` tells the server's page base, which paging cannot do without; a `total_elements` that cannot be a
 * count reads as none (paging then ends on a short page); `size` and `total_pages` are not read.
 */
export const PubIncidentPage = z.looseObject({
  page: z.looseObject({
    number: z.int().nonnegative().nullish(),
    total_elements: z.int().nonnegative().nullish().catch(null),
  }),
  resources: z.array(z.unknown()).nullish(),
});

export const PubAssignees = z.array(
  z.looseObject({
    id: z.string().min(1),
    emailAddress: z.string().nullish(),
    firstName: text,
    lastName: text,
    status: text,
  }),
);
export type PubAssignee = z.infer<typeof PubAssignees>[number];

const Detection = z.looseObject({ detection: z.string().nullish(), original_text: text });

const PatternResult = z.looseObject({
  name: text,
  state: text,
  detections: z.array(Detection).nullish(),
});

/** `ScanContentResponse` with `fetchSnippets=true`. Only the detections are read, never the left/right context. */
export const PubReport = z.looseObject({
  report_id: text,
  scanContentRawReport: z
    .looseObject({
      data_pattern_rule_1_results: z.array(PatternResult).nullish(),
      data_pattern_rule_2_results: z.array(PatternResult).nullish(),
    })
    .nullish(),
});
export type PubReport = z.infer<typeof PubReport>;
