import { z } from 'zod';
import type { Action, ActionTable } from '../../../../src/ports/actions.js';
import { type ButtonTarget, decodeButtonTarget } from '../../../../src/views/button-value.js';
import { type FormField, idsOf } from '../../../../src/views/form.js';
import { DATA_KEY, emailInputId } from './buttons.js';

/**
 * A click on one of our cards: the action its verb names (by id, or an id older releases used), the incident and
 * kind of card its button was on, and what the form's inputs held, raw, by field id. The core checks the role
 * before it reads any of it.
 */
export interface CardClick {
  action: Action;
  target: ButtonTarget;
  values: Record<string, string[]>;
}

/** Bounds the work on a hostile payload; a person's honest over-long note is answered with a count instead. */
const RAW_MAX = 100_000;
const Input = z.string().max(RAW_MAX).optional();
const Data = z.looseObject({ [DATA_KEY]: z.string().max(1000) });

/** The ids a field's value may arrive under on Teams: the field's own (and, for a person, the email box's). */
function teamsInputIds(field: FormField): string[] {
  const ids = idsOf(field);
  return field.kind === 'person' ? [...ids.slice(0, 1), emailInputId(field), ...ids.slice(1)] : ids;
}

/**
 * Reads an `adaptiveCard/action` invoke (`value.action.verb`, `value.action.data`) from a card this renderer made.
 * Null when it is not one of ours or was tampered with (an unknown verb, data not an object, a missing or
 * malformed incident key, an input that is not text or is over 100,000 characters): there is nothing the person
 * can fix, so it is answered with a generic error.
 */
export function readCardClick(actions: ActionTable, verb: string, data: unknown): CardClick | null {
  const action = actions.find(verb);
  if (!action) return null;
  const fields = action.form?.fields ?? [];
  const ids = fields.flatMap(teamsInputIds);
  const parsed = Data.safeParse(data);
  const typed = z.looseObject(Object.fromEntries(ids.map((id) => [id, Input]))).safeParse(data);
  if (!parsed.success || !typed.success) return null;
  const target = decodeButtonTarget(parsed.data[DATA_KEY]);
  if (!target) return null;
  const raw: Record<string, unknown> = typed.data;
  const values = Object.fromEntries(
    fields.map((field) => [
      field.id,
      teamsInputIds(field).flatMap((id) => {
        const value = raw[id];
        return typeof value === 'string' ? [value] : [];
      }),
    ]),
  );
  return { action, target, values };
}

/**
 * The incident a click's data names (any of our buttons) and the kind of card the button was on, or null when
 * it names none or was tampered with.
 */
export function parseCardTarget(data: unknown): ButtonTarget | null {
  const parsed = Data.safeParse(data);
  return parsed.success ? decodeButtonTarget(parsed.data[DATA_KEY]) : null;
}
