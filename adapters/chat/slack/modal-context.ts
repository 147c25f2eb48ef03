import { z } from 'zod';
import type { IncidentRef } from '../../../src/domain/incident.js';
import { FULL_ID_IN_BUTTON_MAX, SHORT_KEY } from '../../../src/domain/vendor-id.js';
import { refFields, refFrom } from '../../../src/views/button-value.js';

/**
 * What a triage form remembers in `private_metadata`: the incident (as on the button) plus where the click
 * came from, so the answer to a submission can be shown privately in that channel. No names, no emails.
 */
const Origin = {
  v: z.literal(1),
  s: z.string().min(1).max(64),
  c: z.string().max(64).optional(),
  m: z.string().max(64).optional(),
};
const ModalContext = z.union([
  z.strictObject({ ...Origin, i: z.string().min(1).max(FULL_ID_IN_BUTTON_MAX) }),
  z.strictObject({ ...Origin, h: z.string().regex(SHORT_KEY) }),
]);

export interface FormOrigin {
  key: IncidentRef;
  channel: string | null;
  messageTs: string | null;
}

export function encodeModalContext(origin: FormOrigin): string {
  return JSON.stringify({
    v: 1,
    ...refFields(origin.key),
    ...(origin.channel ? { c: origin.channel } : {}),
    ...(origin.messageTs ? { m: origin.messageTs } : {}),
  });
}

export function decodeModalContext(raw: string | undefined): FormOrigin | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = ModalContext.safeParse(json);
  if (!parsed.success) return null;
  const { c, m } = parsed.data;
  return { key: refFrom(parsed.data), channel: c ?? null, messageTs: m ?? null };
}
