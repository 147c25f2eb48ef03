import { z } from 'zod';
import type { IncidentStatus, Severity } from '../../../src/domain/incident.js';
import { VendorId } from '../../../src/domain/vendor-id.js';

/**
 * Skyhigh's shapes (reference §2.2–§2.9, seed 004). Loose objects: vendors add fields, and an unknown field
 * must never make a record unreadable. Only what the adapter reads is typed.
 */

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/i;

/** `yyyy-mm-ddThh:mm:ss[.sss][Z|±hh:mm]`; without a zone it is UTC (JavaScript would read it as local time). */
export function parseShnTime(value: string): number | null {
  if (!ISO_PREFIX.test(value)) return null;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value.toUpperCase() : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}

const shnTime = z.string().refine((s) => parseShnTime(s) !== null, 'expected yyyy-mm-ddThh:mm:ss[.sss][Z|±hh:mm]');

/** Normalised spelling: lower case, underscores and runs of spaces as one space (`FALSE_POSITIVE` → `false positive`). */
export const normaliseLabel = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

/**
 * Read statuses. The six the API documents (§2.7), plus the IaaS-incident states the UI docs list, so a tenant using
 * them is not skipped wholesale. suppressed and archived take an incident out of the queue without saying it was
 * fixed, hence `dismissed`, not `resolved`.
 */
export const STATUS_MAP: Readonly<Record<string, IncidentStatus>> = {
  new: 'new',
  opened: 'open',
  viewed: 'open',
  'under investigation': 'in_review',
  pending: 'in_review',
  escalated: 'in_review',
  'false positive': 'false_positive',
  resolved: 'resolved',
  suppressed: 'dismissed',
  archived: 'dismissed',
  suspended: 'dismissed',
};

/** low/medium/high per the API; XSOAR also maps `info`. Skyhigh has no critical, so nothing maps there by default. */
export const SEVERITY_MAP: Readonly<Record<string, Severity>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  info: 'info',
  informational: 'info',
};
/** `incidentRiskSeverityId` when the label is missing: low 0, high 2 seen; medium 1 inferred (§2.7). */
const SEVERITY_BY_ID: readonly Severity[] = ['low', 'medium', 'high'];

const InformationEntry = z.looseObject({ key: z.string(), value: z.unknown() });
/** The map is used as received: a `z.record` would copy every key of every record a scan reads. */
const InformationMap = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected an object',
);
/** Real responses carry a map; the swagger documents a `[{key, value}]` list. Both are read. */
const Information = z.union([InformationMap, z.array(InformationEntry)]);

export const ShnIncident = z
  .looseObject({
    incidentId: VendorId,
    incidentGroup: z.string().nullish(),
    incidentRiskSeverity: z.string().nullish(),
    incidentRiskSeverityId: z.int().nullish(),
    status: z.string().refine((s) => normaliseLabel(s) in STATUS_MAP, 'unknown status'),
    timeCreated: shnTime,
    timeModified: shnTime,
    actorId: z.string().nullish(),
    serviceNames: z.array(z.string()).nullish(),
    instanceName: z.string().nullish(),
    information: Information.nullish(),
  })
  .transform((record, ctx) => {
    const label = record.incidentRiskSeverity;
    const severity =
      label !== undefined && label !== null
        ? SEVERITY_MAP[normaliseLabel(label)]
        : SEVERITY_BY_ID[record.incidentRiskSeverityId ?? -1];
    if (!severity) {
      ctx.issues.push({ code: 'custom', message: 'unknown severity', input: label, path: ['incidentRiskSeverity'] });
      return z.NEVER;
    }
    const info = record.information;
    // Only the fields the adapter reads, named one by one: spreading the loose record would copy every unknown
    // vendor field into each of the (up to 100,000) records a scan parses, most of them dropped right after.
    return {
      incidentId: record.incidentId,
      status: record.status,
      actorId: record.actorId,
      serviceNames: record.serviceNames,
      instanceName: record.instanceName,
      severity,
      createdMs: parseShnTime(record.timeCreated) as number,
      modifiedMs: parseShnTime(record.timeModified) as number,
      informationForm: info === undefined || info === null ? null : Array.isArray(info) ? 'list' : 'map',
      info: Array.isArray(info) ? Object.fromEntries(info.map((e) => [e.key, e.value])) : (info ?? {}),
    };
  });
export type ShnIncident = z.infer<typeof ShnIncident>;

export const ShnError = z.looseObject({
  code: z.number().nullish(),
  message: z.string().nullish(),
  target: z.string().nullish(),
});

export const ShnResponseInfo = z.looseObject({
  actualLimit: z.number().nullish(),
  nextStartTime: z.string().nullish(),
  error: ShnError.nullish(),
});

/** Records are validated one by one (a bad one is skipped), so the page only checks the envelope. */
export const ShnIncidentPage = z.looseObject({
  responseInfo: ShnResponseInfo.nullish(),
  incidents: z.array(z.unknown()).nullish(),
});

/** A serialised Spring `ResponseEntity`: `{headers, statusCode, statusCodeValue, body}`. */
export const ShnEntity = z.looseObject({
  statusCode: z.string().nullish(),
  statusCodeValue: z.int().nullish(),
  body: z.unknown(),
});

export const ShnToken = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive().nullish(),
});

/** Preferred first: the vendor's own modifyIncidents example; then the read label XSOAR sends (§2.4, unverified). */
export const FALSE_POSITIVE_SPELLINGS = ['FALSE_POSITIVE', 'false positive'] as const;
