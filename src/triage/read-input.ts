import { fingerprintText } from '../actions/fingerprint.js';
import { readTypedText } from '../actions/typed-text.js';
import type { ActionInput } from '../ports/actions.js';
import type { ChatUser, TriageRequest } from '../ports/inbound.js';
import type { ActionForm, FormField } from '../views/form.js';

/** Input the person can fix: what to tell them, which field it is about, and the audit row's code (never the text). */
export interface InvalidInput {
  problem: string;
  text: string;
  field?: string;
}

export type ReadInput = { ok: true; input: ActionInput } | { ok: false; invalid: InvalidInput };

const invalid = (field: FormField, problem: string, text: string): ReadInput => ({
  ok: false,
  invalid: { problem, text, field: field.id },
});

const filled = (values: readonly string[]) => values.map((v) => v.trim()).filter((v) => v !== '');

/** Whether anything was typed or picked in any field: choosing the form's alternative as well is ambiguous. */
export function anyFilled(form: ActionForm, request: TriageRequest): boolean {
  return form.fields.some((field) => filled(request.values?.[field.id] ?? []).length > 0);
}

/**
 * Reads a request's raw values against the action's form, the one place every surface's input is checked: text
 * is cleaned and held to the field's declared limit and requirement, a person is resolved by the surface's own
 * lookup (only now, after the role check, so nobody without the role can probe a directory).
 */
export async function readInput(form: ActionForm | undefined, request: TriageRequest): Promise<ReadInput> {
  const text: Record<string, string> = {};
  const people: Record<string, ChatUser> = {};
  for (const field of form?.fields ?? []) {
    const raw = request.values?.[field.id] ?? [];
    if (field.kind === 'text') {
      const typed = readTypedText(field, raw.find((v) => v.trim() !== '') ?? raw[0]);
      if (!typed.ok) return invalid(field, typed.problem, typed.message);
      text[field.id] = typed.text;
      continue;
    }
    // The same person given twice (picked and typed) is one person; two different ones cannot both own it.
    const given = [...new Map(filled(raw).map((v) => [v.toLowerCase(), v])).values()];
    if (given.length > 1) return invalid(field, 'ambiguous', 'Choose one person, not two.');
    const [one] = given;
    if (one === undefined) {
      if (field.required) return invalid(field, 'empty', field.empty);
      continue;
    }
    if (!request.people) throw new TypeError(`${request.action}: the surface gave no way to look people up`);
    const found = await request.people(one);
    if (!found.ok) return invalid(field, found.problem, found.text);
    people[field.id] = found.user;
  }
  return { ok: true, input: { text, people } };
}

/**
 * Identifies what was asked, so a double click is a duplicate but a different submission is not: a short hash,
 * because the idempotency key must not hold what was typed.
 */
export function fingerprintInput(input: ActionInput): string {
  const text = Object.entries(input.text).sort(([a], [b]) => a.localeCompare(b));
  const people = Object.entries(input.people)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, user]) => [id, `${user.surface}:${user.userId}`]);
  if (text.every(([, v]) => v === '') && people.length === 0) return '';
  return fingerprintText(JSON.stringify([text, people]));
}
