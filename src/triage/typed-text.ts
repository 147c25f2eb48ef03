import { MAX_NOTE_LENGTH } from '../store/index.js';
import { charCount } from './action-spec.js';

/**
 * Text a person types that dlp-bot passes on to a vendor API (notes, false-positive reasons). Slack and Teams
 * read it with this one function, and the triage actions read it again, so both surfaces clean it the same way,
 * hold it to the same limits and word the same answer.
 */
export const TYPED_FIELDS = {
  note: { noun: 'note', max: MAX_NOTE_LENGTH, required: true, empty: 'Write a note before saving.' },
  reason: { noun: 'reason', max: 1_000, required: false, empty: 'Say why this is not a real leak.' },
} as const;
export type TypedField = keyof typeof TYPED_FIELDS;

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

/**
 * Cleans what was typed into `field` and checks it against the field's limit. `required` overrides the field's
 * default (a surface whose form asks for a reason may insist on one).
 */
export function readTypedText(field: TypedField, raw: string | null | undefined, required?: boolean): TypedText {
  const spec = TYPED_FIELDS[field];
  const text = cleanTypedText(raw ?? '');
  const length = charCount(text);
  if (length === 0 && (required ?? spec.required)) {
    return { ok: false, problem: 'empty', length, message: `The ${spec.noun} is empty. ${spec.empty}` };
  }
  if (length > spec.max) {
    const message = `Keep the ${spec.noun} to ${count(spec.max)} characters (it has ${count(length)}).`;
    return { ok: false, problem: 'too_long', length, message };
  }
  return { ok: true, text, length };
}
