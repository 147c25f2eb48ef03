import { z } from 'zod';
import type { IncidentKey } from '../../../src/domain/incident.js';

/**
 * What a triage form remembers in `private_metadata`: the incident (as on the button) plus where the click
 * came from, so the answer to a submission can be shown privately in that channel. No names, no emails.
 */
const ModalContext = z.strictObject({
  v: z.literal(1),
  s: z.string().min(1).max(64),
  i: z.string().min(1).max(256),
  c: z.string().max(64).optional(),
  m: z.string().max(64).optional(),
});

export interface FormOrigin {
  key: IncidentKey;
  channel: string | null;
  messageTs: string | null;
}

export function encodeModalContext(origin: FormOrigin): string {
  return JSON.stringify({
    v: 1,
    s: origin.key.source,
    i: origin.key.id,
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
  const { s, i, c, m } = parsed.data;
  return { key: { source: s, id: i }, channel: c ?? null, messageTs: m ?? null };
}
