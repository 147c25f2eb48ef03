import { z } from 'zod';
import { type ShortRef, VendorId } from './vendor-id.js';

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

/** Upper bounds on vendor free text we keep; longer values are clipped by the adapters' mappers. */
export const TEXT_LIMITS = {
  rawStatus: 128,
  policy: 1024,
  actor: 512,
  channel: 256,
  application: 256,
  fileName: 1024,
  assignee: 512,
} as const;

/** Clips to `max` UTF-16 units without splitting a surrogate pair; null stays null. */
export function clipText(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

const text = (max: number) => z.string().max(max);

/**
 * The canonical incident. Adapters allowlist what they copy into it: no raw payload, no snippet, no
 * matched content ever reaches this shape. Free text from vendors is untrusted and may be hostile; the
 * renderers escape it, the schema only bounds its size.
 */
export const Incident = z.strictObject({
  /** The configured source instance id (e.g. `pan-prod`), not the vendor name. */
  source: z.string().min(1).max(64),
  /** The vendor's id, as the id rule allows it (`vendor-id.ts`). */
  id: VendorId,
  severity: Severity,
  status: IncidentStatus,
  rawStatus: text(TEXT_LIMITS.rawStatus),
  createdAt: z.date(),
  updatedAt: z.date().nullable(),
  policy: text(TEXT_LIMITS.policy).nullable(),
  actor: text(TEXT_LIMITS.actor).nullable(),
  channel: text(TEXT_LIMITS.channel).nullable(),
  application: text(TEXT_LIMITS.application).nullable(),
  fileName: text(TEXT_LIMITS.fileName).nullable(),
  matchCount: z.number().int().nonnegative().nullable(),
  assignee: text(TEXT_LIMITS.assignee).nullable(),
  /** Deep link to the incident in the vendor console, when the adapter can build one. */
  link: z.url({ protocol: /^https?$/ }).nullable(),
});
export type Incident = z.infer<typeof Incident>;

export type IncidentKey = Pick<Incident, 'source' | 'id'>;

/** An incident as a button or a form names it: its key, or (an id too long to carry) its short key. */
export type IncidentRef = IncidentKey | ShortRef;

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
