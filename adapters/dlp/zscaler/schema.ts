import { z } from 'zod';
import type { IncidentStatus, Severity } from '../../../src/domain/incident.js';
import { VendorId } from '../../../src/domain/vendor-id.js';

/**
 * ZWA's shapes (reference §1.2–§1.9, seed 001). Loose objects: Zscaler adds fields, and an unknown field must
 * never make a record unreadable. Only what the adapter reads is typed.
 */

/** `POST /v1/auth/api-key/token` → 201 `{token, token_type, expires_in}` (43,200 s: 12 hours). */
export const ZwaToken = z.looseObject({
  token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive().nullish(),
});

/** A count that cannot be one (negative, fractional, not a number) is no count: the stop rule copes with none. */
const countOrNone = z.int().min(0).nullish().catch(null);

/**
 * `cursor` of a search answer; every field optional because the stop rule copes with any of them missing, so an odd
 * number there is read as missing rather than rejecting the page. `currentPageSize` is not read at all.
 */
export const ZwaCursor = z.looseObject({
  totalPages: countOrNone,
  currentPageNumber: countOrNone,
  pageId: z.string().nullish(),
  totalElements: countOrNone,
});
export type ZwaCursor = z.infer<typeof ZwaCursor>;

/** Records are validated one by one (a bad one is skipped and counted), so the page checks only the envelope. */
export const ZwaSearchPage = z.looseObject({
  cursor: ZwaCursor.nullish(),
  incidents: z.array(z.unknown()),
});

/** `GET /{id}/triggers`: a free-form map from what matched (a dictionary, an engine) to the matched text. */
export const ZwaTriggers = z.record(z.string(), z.unknown());

/**
 * Status strings. NEW and RESOLVED are documented; the UI's other states are inferred upper-snake spellings
 * (§1.8). An unknown status is read as open rather than dropping the record: a tenant-specific state must not
 * hide an incident from its SLA.
 */
export const STATUS_MAP: Readonly<Record<string, IncidentStatus>> = {
  NEW: 'new',
  INVESTIGATING: 'in_review',
  VALIDATING_WITH_USER: 'in_review',
  RECEIVED_JUSTIFICATION_RESPONSE: 'in_review',
  ESCALATED: 'in_review',
  RESOLVED: 'resolved',
};

export const SEVERITY_MAP: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFO: 'info',
  INFORMATIONAL: 'info',
};

/** The only documented resolution code; a RESOLVED incident with it is a false positive, not a fix. */
export const FALSE_POSITIVE = 'FALSE_POSITIVE';

const upper = (value: string) => value.trim().toUpperCase().replace(/\s+/g, '_');

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), {
  message: 'expected an ISO-8601 date-time',
});

const Named = z.looseObject({ name: z.string().nullish() });

export const ZwaIncident = z
  .looseObject({
    internalId: VendorId,
    severity: z.string().refine((s) => upper(s) in SEVERITY_MAP, 'unknown severity'),
    status: z.string().min(1),
    resolution: z.string().nullish(),
    createdAt: isoTime,
    lastUpdatedAt: isoTime.nullish(),
    matchCount: z.int().min(0).nullish(),
    matchingPolicies: z.looseObject({ rules: z.array(Named).nullish(), engines: z.array(Named).nullish() }).nullish(),
    userInfo: z.looseObject({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
    applicationInfo: z.looseObject({ name: z.string().nullish(), category: z.string().nullish() }).nullish(),
    contentInfo: z.looseObject({ fileName: z.string().nullish() }).nullish(),
    sourceType: z.string().nullish(),
    assignedAdmin: z.looseObject({ email: z.string().nullish() }).nullish(),
  })
  .transform((record) => ({
    ...record,
    severityLevel: SEVERITY_MAP[upper(record.severity)] as Severity,
    normalisedStatus: statusOf(record.status, record.resolution),
    createdMs: Date.parse(record.createdAt),
    updatedMs: record.lastUpdatedAt ? Date.parse(record.lastUpdatedAt) : null,
  }));
export type ZwaIncident = z.infer<typeof ZwaIncident>;

export function statusOf(status: string, resolution: string | null | undefined): IncidentStatus {
  const mapped = STATUS_MAP[upper(status)] ?? 'open';
  return mapped === 'resolved' && resolution && upper(resolution) === FALSE_POSITIVE ? 'false_positive' : mapped;
}

/** What is read before a note is written: whose record it is, its status and its notes (where a retry's marker is). */
export const ZwaNotedIncident = z.looseObject({
  internalId: z.string(),
  status: z.string(),
  resolution: z.string().nullish(),
  notes: z.array(z.looseObject({ body: z.string().nullish() })).nullish(),
});

/** Error bodies seen so far: `{"internalMessage": "..."}` (§1.7). Read for nothing but its presence. */
export const ZwaError = z.looseObject({ internalMessage: z.string().nullish() });
