import { z } from 'zod';
import type { IncidentRef } from '../domain/incident.js';
import { buttonRefOf, FULL_ID_IN_BUTTON_MAX, SHORT_KEY } from '../domain/vendor-id.js';

/**
 * Which card a button sits on, when it is not the plain incident card: a surface that redraws the card for the
 * clicker (Teams invoke responses) draws the same kind again, so a reminder DM stays a reminder and an escalation
 * stays an escalation.
 */
export const CardKind = z.enum(['reminder', 'escalation']);
export type CardKind = z.infer<typeof CardKind>;

const Named = { v: z.literal(1), s: z.string().min(1).max(64), k: CardKind.optional() };

/**
 * What a button carries: a schema version, the incident's source and id (`i`) or, for an id too long to carry
 * whole, its short key (`h`, which the store maps back), and, off the plain card, the card's kind (`k`); nothing
 * else (no PII, no secrets, no evidence). The version lets messages posted by an older release keep working after
 * an upgrade; `k` and `h` are optional ways to say more, so buttons drawn before them still parse.
 */
export const ButtonValue = z.union([
  z.strictObject({ ...Named, i: z.string().min(1).max(FULL_ID_IN_BUTTON_MAX) }),
  z.strictObject({ ...Named, h: z.string().regex(SHORT_KEY) }),
]);
export type ButtonValue = z.infer<typeof ButtonValue>;

/** A button's incident and the kind of card it was drawn on (null: the plain incident card). */
export interface ButtonTarget {
  key: IncidentRef;
  card: CardKind | null;
}

/** The incident part of a button's or a form's value: `i` for an id that fits, else `h`. */
export function refFields(ref: IncidentRef): { s: string } & ({ i: string } | { h: string }) {
  const named = 'id' in ref ? buttonRefOf(ref) : ref;
  return 'id' in named ? { s: named.source, i: named.id } : { s: named.source, h: named.shortKey };
}

/** The incident a decoded value names. */
export const refFrom = (value: { s: string } & ({ i: string } | { h: string })): IncidentRef =>
  'i' in value ? { source: value.s, id: value.i } : { source: value.s, shortKey: value.h };

export function encodeButtonValue(ref: IncidentRef, card: CardKind | null = null): string {
  const value: ButtonValue = { v: 1, ...refFields(ref), ...(card ? { k: card } : {}) };
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
  return parsed.success ? { key: refFrom(parsed.data), card: parsed.data.k ?? null } : null;
}

export function decodeButtonValue(raw: string): IncidentRef | null {
  return decodeButtonTarget(raw)?.key ?? null;
}
