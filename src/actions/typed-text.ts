import { charCount } from '../ports/actions.js';
import type { TextField } from '../views/form.js';

/**
 * Text a person types that dlp-bot passes on to a vendor API (notes, false-positive reasons). The core reads it
 * with this one function whichever surface it came from, so it is cleaned the same way, held to the field's
 * declared limits and answered in the same words.
 */

/** Why typed text cannot be used: the audit row's `invalid` code (the text itself is never audited). */
export type TypedTextProblem = 'empty' | 'too_long';

export type TypedText =
  | { ok: true; text: string; length: number }
  | { ok: false; problem: TypedTextProblem; length: number; message: string };

/**
 * C0 and C1 controls and DEL, except tab and newline (vendor note fields keep line breaks), plus the bidi
 * embedding/override/isolate marks, which make text read differently from what is stored ("Trojan Source").
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

const count = (n: number) => n.toLocaleString('en-US');

/** The text as it would be sent: line endings as `\n`, controls removed, NFC, trimmed. */
export function cleanTypedText(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').replace(UNWANTED, '').normalize('NFC').trim();
}

/** Cleans what was typed into `field` and checks it against the field's limit and whether it is required. */
export function readTypedText(
  field: Pick<TextField, 'noun' | 'max' | 'required' | 'empty'>,
  raw: string | null | undefined,
): TypedText {
  const text = cleanTypedText(raw ?? '');
  const length = charCount(text);
  if (length === 0 && field.required) {
    return { ok: false, problem: 'empty', length, message: `The ${field.noun} is empty. ${field.empty}` };
  }
  if (length > field.max) {
    const message = `Keep the ${field.noun} to ${count(field.max)} characters (it has ${count(length)}).`;
    return { ok: false, problem: 'too_long', length, message };
  }
  return { ok: true, text, length };
}
