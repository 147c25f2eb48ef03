import { z } from 'zod';

/**
 * Enforce REST API v2 shapes, as public clients (XSOAR, IBM SOAR, Broadcom's sample scripts) read them. Loose
 * objects: Enforce adds fields a query did not select, and versions differ. Only what the adapter reads is typed.
 */

/** Ids are Java longs (they pass 2^31); XSOAR sends and some servers echo them as numeric strings. */
export const EnforceId = z.union([
  z.int().positive(),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number)
    .pipe(z.int().positive()),
]);

/**
 * {@link EnforceId} applied to one value, with the common case (a number) checked without zod's per-call cost: an
 * ids-only query returns up to 10,000 of them per page, and the bot's job waits for them.
 */
export function enforceIdOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  const parsed = EnforceId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The {@link enforceIdOf} of a row an ids-only query returned; null when it has none or not a valid one. */
export const rowIdOf = (row: unknown): number | null =>
  enforceIdOf((row as { incidentId?: unknown } | null)?.incidentId);

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?$/;
const isRealDay = (value: string) => {
  const [year, month, day] = [1, 2, 3].map((i) => Number(NAIVE.exec(value)?.[i])) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
};

/** Zone-less wall time on the Enforce server's clock, 0–9 fractional digits, on a day that exists. */
export const LocalDateTime = z.string().regex(NAIVE).refine(isRealDay, 'not a real calendar day');

const optionalText = z.string().nullish();

/** One row of `POST /incidents`, with the fields the adapter selects. */
export const SymIncidentRow = z.looseObject({
  incidentId: EnforceId,
  creationDate: LocalDateTime,
  severityId: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  incidentStatusId: EnforceId,
  policyName: optionalText,
  messageSource: optionalText,
  messageType: optionalText,
  matchCount: z.int().nonnegative().nullish(),
  networkSenderIdentifier: optionalText,
  isHidden: z.boolean().nullish(),
});
export type SymIncidentRow = z.infer<typeof SymIncidentRow>;

/** Rows are validated one by one (a bad one is skipped), so the page only checks the envelope. */
export const SymQueryResponse = z.looseObject({ incidents: z.array(z.unknown()) });

export const SymStatus = z.looseObject({ id: EnforceId, name: z.string() });
export const SymStatuses = z.array(SymStatus);
export type SymStatus = z.infer<typeof SymStatus>;

/** `GET /incidents/{id}/staticAttributes`: the immutable facts. */
export const SymStaticAttributes = z.looseObject({
  incidentId: EnforceId,
  infoMap: z.looseObject({
    creationDate: LocalDateTime,
    policyName: optionalText,
    messageSource: optionalText,
    messageType: optionalText,
    matchCount: z.int().nonnegative().nullish(),
    networkSenderIdentifier: optionalText,
  }),
});
export type SymStaticAttributes = z.infer<typeof SymStaticAttributes>;

export const SymCustomAttribute = z.looseObject({
  name: z.string(),
  index: z.int().nonnegative(),
  value: z.string().nullish(),
});

/** `GET /incidents/{id}/editableAttributes`: status, severity, data owner and custom attributes. */
export const SymEditableAttributes = z.looseObject({
  incidentId: EnforceId,
  infoMap: z.looseObject({
    severityId: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    incidentStatusId: EnforceId,
    incidentStatusName: optionalText,
    isHidden: z.boolean().nullish(),
    dataOwnerName: optionalText,
    dataOwnerEmail: optionalText,
  }),
  customAttributeGroups: z
    .array(z.looseObject({ name: optionalText, customAttributes: z.array(SymCustomAttribute).nullish() }))
    .nullish(),
});
export type SymEditableAttributes = z.infer<typeof SymEditableAttributes>;

/**
 * A list of {@link EnforceId}s, each checked by {@link enforceIdOf}: a bulk PATCH answers up to 10,000 of them, and
 * the write-back is done only once they are read.
 */
const EnforceIdList = z
  .custom<unknown[]>(Array.isArray, 'expected an array of incident ids')
  .transform((values, ctx) => {
    const ids: number[] = [];
    for (const value of values) {
      const id = enforceIdOf(value);
      if (id === null) {
        ctx.addIssue({ code: 'custom', message: `not an Enforce incident id: ${JSON.stringify(value)?.slice(0, 40)}` });
        return z.NEVER;
      }
      ids.push(id);
    }
    return ids;
  });

/** `PATCH /incidents`: the only key clients read is the list of ids the server changed. */
export const SymPatchResponse = z.looseObject({ updatedIncidentIds: EnforceIdList });

const Segment = z.looseObject({ segmentType: z.string(), text: z.string().nullish(), ruleName: optionalText });

/** `GET /incidents/{id}/components/matches`, as Broadcom's match-indexing sample consumes it. */
export const SymComponentMatches = z.array(
  z.looseObject({
    messageComponentId: z.union([z.number(), z.string()]).nullish(),
    messageComponentName: optionalText,
    violations: z
      .array(z.looseObject({ ruleName: optionalText, violationSegments: z.array(Segment).nullish() }))
      .nullish(),
  }),
);
export type SymComponentMatches = z.infer<typeof SymComponentMatches>;
