import type { Span } from './spans.js';

/** How many positions of a card, SSN, IBAN or account number stay readable: enough to tell two apart. */
export const KEEP = 4;

/** What may stand between the groups of one number: spaces, tabs, dashes of every width, `,` `_` `.`. */
const SEPARATORS = ' \t-\u2010\u2011\u2012\u2013\u2014\u2015\u2212,_.';
const isSeparator = (char: string) => SEPARATORS.includes(char);
/** Digit groups, digits a vendor (or an earlier pass) already hid as `•` `*` `X` counted as positions. */
const GROUP = /[0-9•*X]+/g;
const LETTER = /[A-Za-z]/;

export interface Group {
  start: number;
  end: number;
  digits: string;
  masked: number;
}

function pushGroup(groups: Group[], chars: string, start: number): void {
  const digits = chars.replace(/[^0-9]/g, '');
  if (digits.length > 0 || /[•*]/.test(chars)) {
    groups.push({ start, end: start + chars.length, digits, masked: chars.length - digits.length });
  }
}

export function groupsOf(text: string): Group[] {
  const groups: Group[] = [];
  for (const match of text.matchAll(GROUP)) {
    const chars = match[0];
    const end = match.index + chars.length;
    // `X` stands for a digit only beside no other letter: in "FOX4111…" it is a word, and the digits go on alone.
    if (chars.includes('X') && (LETTER.test(text.charAt(match.index - 1)) || LETTER.test(text.charAt(end)))) {
      for (const part of chars.matchAll(/[^X]+/g)) pushGroup(groups, part[0], match.index + part.index);
    } else pushGroup(groups, chars, match.index);
  }
  return groups;
}

/** The groups are one number when only one to three separators stand between them. */
export function joined(text: string, left: Group, right: Group): boolean {
  const gap = right.start - left.end;
  if (gap < 1 || gap > 3) return false;
  for (let i = left.end; i < right.start; i += 1) if (!isSeparator(text.charAt(i))) return false;
  return true;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i -= 1, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d > 4 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** How cards are printed: 4-4-4-4, 4-4-4-4-3, and Amex's and Diners' 4-6-5 and 4-6-4, one space or dash between. */
const CARD_GROUPINGS = new Set(['4,4,4,4', '4,4,4,4,3', '4,6,5', '4,6,4']);
const CARD_GAPS = new Set([' ', '-']);

/** The groups `from`..`to` are laid out as a card is printed (a list of years, `2024, 2025, 2026, 2027`, is not). */
function printedAsCard(text: string, groups: readonly Group[], from: number, sizes: readonly number[]): boolean {
  if (!CARD_GROUPINGS.has(sizes.join(','))) return false;
  const gaps = new Set<string>();
  for (let k = from + 1; k < from + sizes.length; k += 1) {
    gaps.add(text.slice((groups[k - 1] as Group).end, (groups[k] as Group).start));
  }
  return gaps.size === 1 && [...gaps].every((gap) => CARD_GAPS.has(gap));
}

/**
 * Payment card numbers: 13 to 19 digits passing Luhn, in groups of three or more joined by separators (a
 * window starts and ends on a group, so `4111 1111 1111 1111 987` finds the card in front). Groups of two are
 * left out so dates and times (`2024-05-17 10:22`) never add up to one. Written in a card's grouping, a number
 * is taken for a card even failing Luhn (a mistyped or test card, or one a vendor matched as a card), and so is a
 * window some of whose digits are already hidden, which cannot be checked: `4929,1234,5678,•••3` was half a
 * number shown in clear.
 */
export function cardSpans(text: string): Span[] {
  const groups = groupsOf(text);
  const spans: Span[] = [];
  for (let i = 0; i < groups.length; i += 1) {
    let digits = '';
    let masked = 0;
    const sizes: number[] = [];
    for (let j = i; j < groups.length; j += 1) {
      const group = groups[j] as Group;
      const size = group.digits.length + group.masked;
      if (size < 3 || (j > i && !joined(text, groups[j - 1] as Group, group))) break;
      digits += group.digits;
      masked += group.masked;
      sizes.push(size);
      const positions = digits.length + masked;
      // Past 19 digits it is no card; a few hidden digits more may be markup glued on (`**4111…1111**`).
      if (digits.length > 19 || positions > 40) break;
      const fits = positions >= 13 && positions <= 19;
      const card =
        (digits.length >= 13 && luhn(digits)) ||
        (fits && masked >= 2 && digits.length > 0) ||
        (fits && printedAsCard(text, groups, i, sizes));
      if (card) {
        spans.push({ start: (groups[i] as Group).start, end: group.end, style: 'each', tail: KEEP });
      }
    }
  }
  return spans;
}

const DASH = '[ \\t]{0,3}[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212][ \\t]{0,3}|[ \\t]{1,3}|\\.';
/** US social security numbers in every spelling seen in snippets: `123-45-6789`, `123 - 45 - 6789`, `123 45 6789`. */
const SSN = new RegExp(`(?<![0-9])[0-9•*]{3}(?:${DASH})[0-9•*]{2}(?:${DASH})[0-9•*]{4}(?![0-9])`, 'g');

export function ssnSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(SSN)) {
    if (/[0-9]/.test(match[0].slice(0, -KEEP))) {
      spans.push({ start: match.index, end: match.index + match[0].length, style: 'each', tail: KEEP });
    }
  }
  return spans;
}

/**
 * A country code, check digits, then up to 30 letters and digits, written compact or in groups of four. Tried at
 * every letter, so a label glued in front (`IBANDE89…`) does not hide it; each try reads at most 63 characters.
 */
const IBAN = /(?<![0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}/g;
const ibanValue = (char: string) => (char <= '9' ? char.charCodeAt(0) - 48 : char.charCodeAt(0) - 55);

/** The longest prefix of `compact` that is an IBAN (ISO 13616 mod-97 check), or 0. */
function ibanLength(compact: string): number {
  // The check reads the account part first, then the country and check digits, as one number mod 97.
  let head = 0;
  for (const char of compact.slice(0, 4)) {
    const value = ibanValue(char);
    head = (head * (value > 9 ? 100 : 10) + value) % 97;
  }
  const headDigits = 6;
  let best = 0;
  let rest = 0;
  for (let i = 4; i < compact.length; i += 1) {
    const value = ibanValue(compact.charAt(i));
    rest = (rest * (value > 9 ? 100 : 10) + value) % 97;
    if (i + 1 >= 15 && (rest * 10 ** headDigits + head) % 97 === 1) best = i + 1;
  }
  return best;
}

export function ibanSpans(text: string): Span[] {
  const spans: Span[] = [];
  IBAN.lastIndex = 0;
  for (let match = IBAN.exec(text); match; match = IBAN.exec(text)) {
    const length = ibanLength(match[0].replaceAll(' ', ''));
    if (length === 0) {
      // Not one here; a later group of this run may still start one ("ref AB12 DE89 3704 …").
      IBAN.lastIndex = match.index + 1;
      continue;
    }
    let end = match.index;
    for (let seen = 0; seen < length; end += 1) if (text.charAt(end) !== ' ') seen += 1;
    spans.push({ start: match.index, end, style: 'each', tail: KEEP });
    IBAN.lastIndex = end;
  }
  return spans;
}
