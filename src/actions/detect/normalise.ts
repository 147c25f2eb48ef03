/**
 * The text the detectors read, and the way back to the text a person sees. Detectors match one plain form
 * (NFKC, ASCII digits, no invisible format characters), so `４１１１`, `٤١١١` and `4\u200b111` are all `4111`; every
 * character of that form remembers which original characters it came from, so masking happens on the original.
 */
export interface TextView {
  /** NFKC per character, every Unicode decimal digit folded to ASCII, format characters (\p{Cf}) dropped. */
  readonly text: string;
  /** Where, in the original, the character behind view position `i` starts. */
  start(i: number): number;
  /** Where, in the original, the character behind view position `i` ends. */
  end(i: number): number;
}

const FORMAT = /^\p{Cf}$/u;
const DIGIT = /^\p{Nd}$/u;
const DIGITS = /\p{Nd}/gu;
// Most snippets are printable ASCII: for them the view is the text itself and no per-character work is needed.
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;

/**
 * A decimal digit's value. Unicode stores every script's digits as runs of ten, zero first (a stability
 * guarantee), so the value is the distance from the start of its run; NFKC already folded the only scripts
 * whose runs sit back to back (mathematical digits).
 */
function digitValue(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  let back = 0;
  while (back < 60 && DIGIT.test(String.fromCodePoint(code - back - 1))) back += 1;
  return String(back % 10);
}

const plainForms = new Map<string, string>();

/** One original character's plain form: '' for a format character, else NFKC with its digits folded. */
function plainForm(char: string): string {
  let plain = plainForms.get(char);
  if (plain === undefined) {
    plain = FORMAT.test(char) ? '' : char.normalize('NFKC').replace(DIGITS, (d) => (d < '\u0080' ? d : digitValue(d)));
    // Bounded: a hostile snippet can hold every code point, and this cache lives as long as the process.
    if (plainForms.size < 4096) plainForms.set(char, plain);
  }
  return plain;
}

export function viewOf(original: string): TextView {
  if (!NON_ASCII.test(original)) return { text: original, start: (i) => i, end: (i) => i + 1 };
  const starts: number[] = [];
  const ends: number[] = [];
  const parts: string[] = [];
  for (let at = 0; at < original.length; ) {
    const code = original.charCodeAt(at);
    const next = original.charCodeAt(at + 1);
    const width = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    const char = original.slice(at, at + width);
    const plain = code < 0x80 ? char : plainForm(char);
    for (let k = 0; k < plain.length; k += 1) {
      starts.push(at);
      ends.push(at + width);
    }
    parts.push(plain);
    at += width;
  }
  return { text: parts.join(''), start: (i) => starts[i] ?? original.length, end: (i) => ends[i] ?? original.length };
}
