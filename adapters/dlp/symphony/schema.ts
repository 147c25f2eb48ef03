import { z } from 'zod';
import { VendorId } from '../../../src/domain/vendor-id.js';
import type { ViolationKind } from './names.js';

/**
 * Symphony's shapes (reference §3.2–§3.8, seed 003): the pubkey authenticate answers, the `{code, message}` error
 * body and the EFv3 violations envelope. Loose objects: the spec types `details` as plain objects and Symphony adds
 * fields, and an unknown field must never make a violation unreadable. Only what the adapter reads is typed.
 */

export { VIOLATION_KINDS, type ViolationKind } from './names.js';

/** `POST /login/pubkey/authenticate` and `POST /relay/pubkey/authenticate`: `{name, token}` (+ a beta JWT). */
export const SymToken = z.looseObject({ name: z.string().optional(), token: z.string().min(1) });

/** One page: `nextOffset` is null (spec) or "" (Symphony's samples) on the last one. */
export const SymViolationPage = z.looseObject({
  violations: z.array(z.unknown()),
  nextOffset: z.string().nullish(),
});

const epochMs = z.int().nonnegative();

const RuleDetail = z.looseObject({
  ruleDescriptor: z.looseObject({ ruleType: z.string().nullish(), ruleName: z.string().nullish() }).nullish(),
  content: z.looseObject({ matches: z.array(z.looseObject({ match: z.string().nullish() })).nullish() }).nullish(),
  fileContent: z
    .looseObject({
      matches: z
        .array(z.looseObject({ match: z.string().nullish(), count: z.int().nonnegative().nullish() }))
        .nullish(),
    })
    .nullish(),
  extension: z
    .looseObject({ blockedExtension: z.string().nullish(), suppliedExtension: z.string().nullish() })
    .nullish(),
});
export type RuleDetail = z.infer<typeof RuleDetail>;

const PolicyResult = z.looseObject({
  status: z.string().nullish(),
  matchedPolicy: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  ruleResults: z
    .array(z.looseObject({ complianceDetail: z.looseObject({ detail: RuleDetail.nullish() }).nullish() }))
    .nullish(),
});

const Detail = z.looseObject({
  status: z.string().nullish(),
  correlationId: z.string().nullish(),
  secureAttachmentMeta: z
    .looseObject({
      complianceMeta: z.looseObject({ detail: z.looseObject({ name: z.string().nullish() }).nullish() }).nullish(),
    })
    .nullish(),
  policyResults: z.array(PolicyResult).nullish(),
});
export type Detail = z.infer<typeof Detail>;

/** `V3DLPViolation`. `enforcementEventID` is the incident id; `createTime` is when the user acted. */
export const SymViolation = z.looseObject({
  enforcementEventID: VendorId,
  entityID: z.string().nullish(),
  createTime: epochMs,
  lastModified: epochMs.nullish(),
  requesterId: z.union([z.int(), z.string()]).nullish(),
  details: z.array(Detail).nullish(),
  action: z.string().nullish(),
  outcome: z.looseObject({ type: z.string().nullish() }).nullish(),
  ignoreDLPwarning: z.boolean().nullish(),
});
export type SymViolation = z.infer<typeof SymViolation>;

const V4User = z.looseObject({
  userId: z.union([z.int(), z.string()]).nullish(),
  displayName: z.string().nullish(),
  email: z.string().nullish(),
  username: z.string().nullish(),
});

/** `V4Message`, the subset the adapter reads. `message` (MessageML) is content: only snippets ever see it. */
const V4Message = z.looseObject({
  messageId: z.string().nullish(),
  message: z.string().nullish(),
  user: V4User.nullish(),
  stream: z.looseObject({ streamId: z.string().nullish(), streamType: z.string().nullish() }).nullish(),
  attachments: z.array(z.looseObject({ name: z.string().nullish() })).nullish(),
});

/** `V1DLPStream`: for a stream violation the room's name and description are what DLP analysed. */
const V1Stream = z.looseObject({
  name: z.string().nullish(),
  roomDescription: z.string().nullish(),
  creatorPrettyName: z.string().nullish(),
  type: z.string().nullish(),
  crossPod: z.boolean().nullish(),
});

/** `V1DLPSignal`: only the signal's name is analysed. */
const V1Signal = z.looseObject({ name: z.string().nullish(), rules: z.string().nullish() });

/** One item of any of the three lists; which of message/stream/signal is present depends on the endpoint. */
export const SymViolationItem = z.looseObject({
  violation: SymViolation,
  message: V4Message.nullish(),
  sharedMessage: V4Message.nullish(),
  stream: V1Stream.nullish(),
  signal: V1Signal.nullish(),
});
export type SymViolationItem = z.infer<typeof SymViolationItem>;

/** A violation as the adapter keeps it: the item and the endpoint it came from. */
export interface SymRecord {
  kind: ViolationKind;
  item: SymViolationItem;
}

const nullishText = z.string().nullish();
// A text match is only counted: each becomes an empty object, so what matched stays out of the listed record
// (typed unknown, as which the mapper's type also takes the whole record's matches).
const COUNTED_MATCH = z.object({}).transform((empty): unknown => empty);

/**
 * A listed violation as the scan reads it: only what `mapViolation`, the severity rule and the listing read is
 * validated, and `z.object` leaves every other field out instead of copying it (the message text, the matched
 * content, the room's name), so an unread field can neither cost the copy nor make the record unreadable. The lookup
 * behind `get` and snippets keeps `SymViolationItem`, which reads the evidence too.
 */
export const SymListedItem = z.object({
  violation: z.object({
    enforcementEventID: VendorId,
    createTime: epochMs,
    lastModified: epochMs.nullish(),
    requesterId: z.union([z.int(), z.string()]).nullish(),
    action: nullishText,
    outcome: z.object({ type: nullishText }).nullish(),
    details: z
      .array(
        z.object({
          secureAttachmentMeta: z
            .object({ complianceMeta: z.object({ detail: z.object({ name: nullishText }).nullish() }).nullish() })
            .nullish(),
          policyResults: z
            .array(
              z.object({
                matchedPolicy: z.object({ name: nullishText }).nullish(),
                ruleResults: z
                  .array(
                    z.object({
                      complianceDetail: z
                        .object({
                          detail: z
                            .object({
                              content: z.object({ matches: z.array(COUNTED_MATCH).nullish() }).nullish(),
                              fileContent: z
                                .object({
                                  matches: z.array(z.object({ count: z.int().nonnegative().nullish() })).nullish(),
                                })
                                .nullish(),
                            })
                            .nullish(),
                        })
                        .nullish(),
                    }),
                  )
                  .nullish(),
              }),
            )
            .nullish(),
        }),
      )
      .nullish(),
  }),
  message: z
    .object({
      user: z.object({ email: nullishText, displayName: nullishText, username: nullishText }).nullish(),
      stream: z.object({ streamType: nullishText }).nullish(),
    })
    .nullish(),
  stream: z.object({ type: nullishText, creatorPrettyName: nullishText }).nullish(),
});
export type SymListedItem = z.infer<typeof SymListedItem>;
export type SymListedViolation = SymListedItem['violation'];

/** A listed violation and the endpoint it came from: what the mapper needs (a `SymRecord` is one too). */
export interface SymListedRecord {
  kind: ViolationKind;
  item: SymListedItem;
}
