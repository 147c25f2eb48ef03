import { type Group, groupsOf, joined, KEEP } from './numbers.js';
import type { Span } from './spans.js';

/** Words that say the number next to them is personal or financial: one list for text and for snippet labels. */
const SENSITIVE =
  'account|acct|a/c|bank|routing|aba|sort code|passport|licen[cs]e|ssn|social security|tax id|tin|nino|' +
  'national id|member id|mrn|medical record|card|iban';

/**
 * Numbers a label names as sensitive, Luhn or not: `account 12345678`, `passport no. X1234567`, `MRN-65609817`,
 * `PIN 1234`. An unlabelled number that fails every other check (an order or ticket number, a phone number, a
 * date) stays readable, so the snippet stays worth reading.
 */
const LABELLED = [
  {
    pattern: new RegExp(
      `(?<![A-Za-z])(?:${SENSITIVE})(?:[ \\t]{0,3}(?:number|num|no\\.?|nr\\.?|#))?[ \\t]{0,3}[:=#-]?[ \\t]{0,3}` +
        '(?<value>[A-Z]{0,3}[0-9•*][0-9•* -]{2,30}[0-9])(?![0-9A-Za-z])',
      'dgi',
    ),
    tail: KEEP,
  },
  // A PIN or card security code is short enough that its last four would be all of it.
  {
    pattern: /(?<![A-Za-z])(?:pin|cvv2?|cvc2?|csc)[ \t]{0,3}[:=#]?[ \t]{0,3}(?<value>[0-9]{3,8})(?![0-9])/dgi,
    tail: 0,
  },
];

export function labelledSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { pattern, tail } of LABELLED) {
    for (const match of text.matchAll(pattern)) {
      const at = match.indices?.groups?.value;
      if (at && /[0-9].*[0-9].*[0-9]/.test(match.groups?.value ?? '')) {
        spans.push({ start: at[0], end: at[1], style: 'each', tail });
      }
    }
  }
  return spans;
}

const SENSITIVE_LABEL = new RegExp(`(?<![A-Za-z])(?:${SENSITIVE})`, 'i');

/**
 * A vendor's snippet label names the pattern that matched ("Bank Account Number", "US SSN"); the text under such a
 * label is that value itself, so every number in it is masked even where nothing in the text says what it is.
 */
export const namesSensitiveNumbers = (label: string) => SENSITIVE_LABEL.test(label);

/** Every number of five or more positions (groups joined as in `cardSpans`), down to its last four. */
export function numberSpans(text: string): Span[] {
  const groups = groupsOf(text);
  const spans: Span[] = [];
  for (let i = 0; i < groups.length; i += 1) {
    const first = groups[i] as Group;
    let last = first;
    let positions = first.digits.length + first.masked;
    while (i + 1 < groups.length && joined(text, last, groups[i + 1] as Group)) {
      i += 1;
      last = groups[i] as Group;
      positions += last.digits.length + last.masked;
    }
    if (positions > KEEP) spans.push({ start: first.start, end: last.end, style: 'each', tail: KEEP });
  }
  return spans;
}
