import { z } from 'zod';

/** Severities in descending order of urgency; the order matters for sorting and digests. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/**
 * Normalised lifecycle. Each adapter maps its vendor's statuses onto these and keeps the raw value in
 * `rawStatus`, so nothing the vendor said is lost and the core never needs a vendor's vocabulary.
 */
export const INCIDENT_STATUSES = ['new', 'open', 'in_review', 'resolved', 'false_positive', 'dismissed'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** Statuses after which nobody needs to act on an incident any more. */
export const CLOSED_STATUSES: ReadonlySet<IncidentStatus> = new Set(['resolved', 'false_positive', 'dismissed']);

const text = (max: number) => z.string().max(max);

/**
 * The canonical incident. Adapters allowlist what they copy into it: no raw payload, no snippet, no
 * matched content ever reaches this shape. Free text from vendors is untrusted and may be hostile; the
 * renderers escape it, the schema only bounds its size.
 */
export const Incident = z.strictObject({
  /** The configured source instance id (e.g. `pan-prod`), not the vendor name. */
  source: z.string().min(1).max(64),
  id: z.string().min(1).max(256),
  severity: Severity,
  status: IncidentStatus,
  rawStatus: text(128),
  createdAt: z.date(),
  updatedAt: z.date().nullable(),
  policy: text(1024).nullable(),
  actor: text(512).nullable(),
  channel: text(256).nullable(),
  application: text(256).nullable(),
  fileName: text(1024).nullable(),
  matchCount: z.number().int().nonnegative().nullable(),
  assignee: text(512).nullable(),
  /** Deep link to the incident in the vendor console, when the adapter can build one. */
  link: z.url({ protocol: /^https?$/ }).nullable(),
});
export type Incident = z.infer<typeof Incident>;

export type IncidentKey = Pick<Incident, 'source' | 'id'>;

/** `source:id`, the form people type in `dlp-bot show` and `/dlp show`. */
export function formatIncidentRef(key: IncidentKey): string {
  return `${key.source}:${key.id}`;
}

/** Parses `source:id`; the id may itself contain colons, the source may not. */
export function parseIncidentRef(ref: string): IncidentKey | null {
  const at = ref.indexOf(':');
  if (at <= 0 || at === ref.length - 1) return null;
  return { source: ref.slice(0, at), id: ref.slice(at + 1) };
}
