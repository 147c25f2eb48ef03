/**
 * Block Kit limits (from `@slack/types` and the Block Kit reference) and the few helpers that keep text inside
 * them. Lengths are UTF-16 code units (`String.length`), which is never fewer than the characters Slack counts,
 * so a string that fits here fits there.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  modalTitle: 24,
  modalButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  placeholder: 150,
  optionText: 75,
  /** Slack truncates top-level `text` at 40,000; the notification fallback is one line, so ours is far lower. */
  fallbackText: 3000,
} as const;

/**
 * Total text across a message's blocks. Undocumented, but bolt-js #2509 hit `msg_blocks_too_long` at about
 * 13.2k characters, well under the per-block limits, so long messages are cut before that.
 */
export const MESSAGE_TEXT_BUDGET = 12_000;

const HIGH_SURROGATE_AT_END = /[\uD800-\uDBFF]$/;

/** Cuts to at most `max` code units, marking the cut with `…` and never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - 1);
  if (HIGH_SURROGATE_AT_END.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Encodes (escapes) `raw` and guarantees the result fits `max`: the raw text is cut before encoding, so an
 * entity such as `&amp;` is never split in half.
 */
export function clipEncoded(raw: string, max: number, encode: (text: string) => string): string {
  const whole = encode(raw);
  if (whole.length <= max) return whole;
  // The encoded length grows with the raw length kept, so the longest raw cut that fits is a binary search.
  let fits = '';
  let low = 1;
  let high = Math.min(raw.length, max);
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const out = encode(clip(raw, mid));
    if (out.length <= max) {
      fits = out;
      low = mid + 1;
    } else high = mid - 1;
  }
  return fits;
}

/**
 * Splits text into pieces of at most `max` code units, preferring to break after a newline, then after a
 * space, in the second half of each piece. Nothing is lost: the pieces join back to the input.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max - 1) + 1;
    if (at <= max / 2) at = rest.lastIndexOf(' ', max - 1) + 1;
    if (at <= max / 2) at = HIGH_SURROGATE_AT_END.test(rest.slice(0, max)) ? max - 1 : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Slack rejects empty and whitespace-only text objects. */
export const isBlank = (text: string): boolean => text.trim().length === 0;

export const orDash = (text: string): string => (isBlank(text) ? '—' : text);

/** Headers, labels and table cells are one line. */
export const oneLine = (text: string): string => text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');

/** Splits a list into runs of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

/** Columns as a monospaced font shows them: zero-width, format and combining characters take no column. */
export const displayWidth = (text: string): number => Array.from(text.replace(/[\p{Cf}\p{Mn}\p{Me}]/gu, '')).length;

/**
 * Characters on one line of a phone: Slack's monospace on a phone and the Agents Playground's default (phone-wide)
 * card both show about 40 before wrapping.
 */
export const PHONE_LINE = 40;
const GRID_MAX_COLUMNS = 3;

/**
 * The one rule both chat renderers use: a table stays a grid only when it has at most 3 columns and its widest
 * line (header or row, cells two spaces apart) fits {@link PHONE_LINE}; any other table is shown one entry per row.
 */
export function fitsPhone(
  columns: readonly { key: string; label: string }[],
  rows: readonly Record<string, string>[],
): boolean {
  if (columns.length > GRID_MAX_COLUMNS) return false;
  let line = 2 * (columns.length - 1);
  for (const c of columns) {
    let width = displayWidth(oneLine(c.label));
    for (const row of rows) width = Math.max(width, displayWidth(oneLine(row[c.key] ?? '')));
    line += width;
  }
  return line <= PHONE_LINE;
}
