import { z } from 'zod';
import type { IncidentKey } from '../domain/incident.js';

/**
 * Which card a button sits on, when it is not the plain incident card: a surface that redraws the card for the
 * clicker (Teams invoke responses) draws the same kind again, so a reminder DM stays a reminder and an escalation
 * stays an escalation.
 */
export const CardKind = z.enum(['reminder', 'escalation']);
export type CardKind = z.infer<typeof CardKind>;

/**
 * What a button carries: a schema version, the incident key and, off the plain card, the card's kind (`k`);
 * nothing else (no PII, no secrets, no evidence). The version lets messages posted by an older release keep
 * working after an upgrade; `k` is optional, so buttons drawn before it existed still parse.
 */
export const ButtonValue = z.strictObject({
  v: z.literal(1),
  s: z.string().min(1).max(64),
  i: z.string().min(1).max(256),
  k: CardKind.optional(),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

/** A button's incident and the kind of card it was drawn on (null: the plain incident card). */
export interface ButtonTarget {
  key: IncidentKey;
  card: CardKind | null;
}

export function encodeButtonValue(key: IncidentKey, card: CardKind | null = null): string {
  const value: ButtonValue = { v: 1, s: key.source, i: key.id, ...(card ? { k: card } : {}) };
  return JSON.stringify(value);
}

export function decodeButtonTarget(raw: string): ButtonTarget | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = ButtonValue.safeParse(json);
  return parsed.success ? { key: { source: parsed.data.s, id: parsed.data.i }, card: parsed.data.k ?? null } : null;
}

export function decodeButtonValue(raw: string): IncidentKey | null {
  return decodeButtonTarget(raw)?.key ?? null;
}
