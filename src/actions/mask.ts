import type { Snippet } from '../ports/index.js';

export const MASK_CHAR = '•';
/** How many characters of a matched value stay readable, so a person can tell two values apart. */
const KEEP = 4;
/** What may join the parts of one value: "4111 1111 1111 1111", "123-45-6789", "10.0.0.12", "12/34/5678". */
const JOINERS = new Set([' ', '-', '.', '/']);

// The lookbehind lets a match start only where a run of address characters starts, which keeps this linear
// on long hostile text (each run is scanned once, not once per position inside it).
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const ALNUM_RUN = /[A-Za-z0-9]+/g;
const isAlnum = (char: string) => /^[A-Za-z0-9]$/.test(char);

function maskEmail(email: string): string {
  return `${email.charAt(0)}${MASK_CHAR.repeat(3)}${email.slice(email.indexOf('@'))}`;
}

/** Every letter and digit but the last four becomes a dot; separators stay, so the shape still reads. */
function maskValue(value: string): string {
  if (value.replace(/[^0-9]/g, '').length < KEEP) return value;
  let toMask = [...value].filter(isAlnum).length - KEEP;
  let out = '';
  for (const char of value) {
    if (toMask > 0 && isAlnum(char)) {
      out += MASK_CHAR;
      toMask -= 1;
    } else out += char;
  }
  return out;
}

/** Values are runs of letters and digits that each hold a digit, joined by single separators. */
function maskValues(text: string): string {
  const runs = [...text.matchAll(ALNUM_RUN)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    hasDigit: /[0-9]/.test(m[0]),
  }));
  let out = '';
  let pos = 0;
  for (let i = 0; i < runs.length; i += 1) {
    const first = runs[i];
    if (!first?.hasDigit) continue;
    let last = first;
    for (let next = runs[i + 1]; next?.hasDigit; next = runs[i + 1]) {
      if (next.start - last.end !== 1 || !JOINERS.has(text.charAt(last.end))) break;
      last = next;
      i += 1;
    }
    out += text.slice(pos, first.start) + maskValue(text.slice(first.start, last.end));
    pos = last.end;
  }
  return out + text.slice(pos);
}

/**
 * Masks what looks like a matched value in snippet text: a value with four or more digits keeps only its last
 * four letters or digits, and an email address keeps its first character and its domain. Text a vendor already
 * masked (`XXXX-XXXX-XXXX-1234`, `••••1234`) comes out unchanged.
 */
export function maskText(text: string): string {
  let out = '';
  let pos = 0;
  for (const match of text.matchAll(EMAIL)) {
    out += maskValues(text.slice(pos, match.index)) + maskEmail(match[0]);
    pos = match.index + match[0].length;
  }
  return out + maskValues(text.slice(pos));
}

/** A snippet fit to show, masked here whatever the vendor said. */
export function maskSnippet(snippet: Snippet): Snippet {
  return { label: maskText(snippet.label), text: maskText(snippet.text) };
}
