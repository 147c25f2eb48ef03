import type { Snippet } from '../ports/index.js';
import { labelledSpans, namesSensitiveNumbers, numberSpans } from './detect/labelled.js';
import { type TextView, viewOf } from './detect/normalise.js';
import { cardSpans, ibanSpans, ssnSpans } from './detect/numbers.js';
import { credentialSpans, emailSpans } from './detect/secrets.js';
import { mergeSpans, type Span } from './detect/spans.js';

export const MASK_CHAR = '•';

/** Every detector; where two overlap, the stricter mask wins (`mergeSpans`). */
const DETECTORS: readonly ((view: string) => Span[])[] = [
  cardSpans,
  ssnSpans,
  ibanSpans,
  labelledSpans,
  credentialSpans,
  emailSpans,
];

/**
 * How far past the display budget the detectors read, so a value the cut runs through is still recognised whole:
 * a 19-digit card with three separators between digits, a long email address or the head of a JWT fit in it.
 */
export const MASK_MARGIN = 256;

const VALUE = /^[\p{L}\p{N}]$/u;
const FORMAT = /^\p{Cf}$/u;
const HIDDEN = new Set([MASK_CHAR, '*']);

/** One detected stretch of the original, hidden as its span says; invisible format characters go with it. */
function hide(original: string, span: Span): string {
  if (span.style === 'collapse') return MASK_CHAR.repeat(span.fill);
  const chars = Array.from(original).filter((char) => !FORMAT.test(char));
  const positions = chars.filter((char) => VALUE.test(char) || HIDDEN.has(char)).length;
  let seen = 0;
  return chars
    .map((char) => {
      if (!VALUE.test(char) && !HIDDEN.has(char)) return char;
      seen += 1;
      return seen > positions - span.tail || HIDDEN.has(char) ? char : MASK_CHAR;
    })
    .join('');
}

/** What a key, token, address or encoded blob is written with (not CJK prose, which has no spaces to end a run). */
const TOKEN_CHAR = /[A-Za-z0-9._%+\-/=@:~!#$&*?^|•]/;

/**
 * Where the window ends mid-text, its last run of digits and separators and its last unbroken token may be the
 * start of a value the detectors cannot see whole; they are hidden entirely (only what starts before the display
 * budget is shown, so this bites only on a run longer than the margin).
 */
function cutRun(view: string): Span | null {
  let token = view.length;
  while (token > 0 && TOKEN_CHAR.test(view.charAt(token - 1))) token -= 1;
  let run = view.length;
  while (run > 0 && /[0-9•*]|[ \t\-\u2010-\u2015\u2212,_.]/.test(view.charAt(run - 1))) run -= 1;
  while (run < view.length && !/[0-9]/.test(view.charAt(run))) run += 1;
  const start = Math.min(token, run);
  return start < view.length ? { start, end: view.length, style: 'each', tail: 0 } : null;
}

export interface MaskOptions {
  /** Every number is sensitive here (the snippet's label named its kind), not only those a detector recognises. */
  numbers?: boolean;
}

function detect(view: TextView, cut: boolean, options: MaskOptions): Span[] {
  const detectors = options.numbers ? [...DETECTORS, numberSpans] : DETECTORS;
  const spans = detectors.flatMap((detector) => detector(view.text));
  const tail = cut ? cutRun(view.text) : null;
  return mergeSpans(tail ? [...spans, tail] : spans);
}

/** The original text up to `limit`, each detected span hidden (one the limit runs through is shown whole, hidden). */
function render(original: string, view: TextView, spans: readonly Span[], limit: number): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    const start = Math.max(at, view.start(span.start));
    if (start >= limit) break;
    const end = view.end(span.end - 1);
    out += original.slice(at, start) + hide(original.slice(start, end), span);
    at = end;
  }
  return at < limit ? out + original.slice(at, limit) : out;
}

/** A cut that does not split a surrogate pair. */
function cutAt(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Masks what a snippet must not show in clear: payment cards (Luhn), SSNs, IBANs (mod 97), labelled account and
 * ID numbers, PINs, email addresses and credentials. Cards, SSNs, IBANs and account numbers keep their last four
 * (`•••• •••• •••• 4242`), an address its first character and domain, a credential its kind (`AKIA••••••••`).
 * Dates, times, phone numbers and order numbers that fail every check stay readable. Linear in the text's length.
 */
export function maskText(text: string, options: MaskOptions = {}): string {
  const view = viewOf(text);
  return render(text, view, detect(view, false, options), text.length);
}

/**
 * `maskText` for a reader who sees at most `limit` characters: only the first `limit` + MASK_MARGIN are read, so a
 * 40 MB snippet costs what a short one does. `cut` says the text went on.
 */
export function maskForDisplay(text: string, limit: number, options: MaskOptions = {}): { text: string; cut: boolean } {
  const cut = text.length > limit;
  const window = cut ? text.slice(0, cutAt(text, limit + MASK_MARGIN)) : text;
  const view = viewOf(window);
  const spans = detect(view, window.length < text.length, options);
  return { text: render(window, view, spans, cutAt(window, limit)), cut };
}

/**
 * A snippet fit to show, label and text each cut to their budget: masked here whatever the vendor said. Under a
 * label naming a sensitive number ("Bank Account Number"), every number in the text keeps only its last four.
 */
export function maskSnippet(snippet: Snippet, limits: { label: number; text: number }): Snippet {
  const show = (text: string, limit: number, options: MaskOptions = {}) => {
    const masked = maskForDisplay(text, limit, options);
    return masked.cut ? `${masked.text}…` : masked.text;
  };
  const numbers = namesSensitiveNumbers(snippet.label);
  return { label: show(snippet.label, limits.label), text: show(snippet.text, limits.text, { numbers }) };
}
