import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Column } from '../../../src/views/view.js';
import { confineBidi, escapeCode, inertMrkdwn } from './escape.js';
import { clip, clipEncoded, displayWidth, fitsPhone, isBlank, oneLine, orDash, SLACK_LIMITS } from './limits.js';
import { contextLine, mrkdwn } from './text-objects.js';

/** A table is a summary; the full list is one `dlp-bot` command away. */
export const TABLE_MAX_ROWS = 20;
const TABLE_CELL = 32;
/** The last column has the rest of the line, so notes are not cut mid-sentence. */
const TABLE_LAST_CELL = 60;
const TABLE_LINE = 1000;
/** An entry's cells wrap across the whole message, so they are cut later than a grid's: a ref whole, a policy name. */
const ENTRY_CELL = 120;
/** Escaped characters per entry, so 20 entries of long vendor text stay within the message's text budget. */
const ENTRY_TEXT = 500;
const FENCE = '```';
const ENTRY_GAP = '\n\n';

/**
 * A table that fits a phone is a monospaced grid; any other is one entry per row (see `fitsPhone`). Either way at
 * most {@link TABLE_MAX_ROWS} rows are shown, and the rest are counted in a context line.
 */
export function renderTable(columns: readonly Column[], rows: readonly Record<string, string>[]): KnownBlock[] {
  if (columns.length === 0 || rows.length === 0) return [contextLine('(none)')];
  const shown = rows.slice(0, TABLE_MAX_ROWS);
  const blocks = fitsPhone(columns, shown) ? grid(columns, shown) : entries(columns, shown);
  if (rows.length > TABLE_MAX_ROWS) blocks.push(contextLine(`… and ${rows.length - TABLE_MAX_ROWS} more`));
  return blocks;
}

/**
 * One entry per row: the first cell in bold on its own line, the other cells below as "Label: value · …". Entries
 * share sections, a blank line apart and never split, so a 20-row list takes a few of a message's 50 blocks.
 */
function entries(columns: readonly Column[], rows: readonly Record<string, string>[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let text = '';
  for (const row of rows) {
    const entry = entryText(columns, row);
    if (text && text.length + ENTRY_GAP.length + entry.length > SLACK_LIMITS.sectionText) {
      sections.push({ type: 'section', text: mrkdwn(text) });
      text = '';
    }
    text = text ? `${text}${ENTRY_GAP}${entry}` : entry;
  }
  if (text) sections.push({ type: 'section', text: mrkdwn(text) });
  return sections;
}

/** Vendor text inside our mrkdwn: inert, and isolated so a right-to-left override cannot reorder what follows. */
const inline = (text: string) => inertMrkdwn(confineBidi(text));

/** One entry within {@link ENTRY_TEXT} characters; details that do not fit end in "…". */
function entryText(columns: readonly Column[], row: Record<string, string>): string {
  const [first, ...rest] = columns;
  const title = `*${clipEncoded(orDash(oneLine(row[first?.key ?? ''] ?? '').trim()), ENTRY_CELL, inline)}*`;
  const room = ENTRY_TEXT - title.length - 1 - ' …'.length;
  let details = '';
  for (const c of rest) {
    const value = oneLine(row[c.key] ?? '').trim();
    if (isBlank(value)) continue;
    const piece = `${inline(clip(orDash(oneLine(c.label)), TABLE_CELL))}: ${clipEncoded(value, ENTRY_CELL, inline)}`;
    const next = details ? `${details} · ${piece}` : piece;
    if (next.length > room) {
      details = details ? `${details} …` : '…';
      break;
    }
    details = next;
  }
  return details ? `${title}\n${details}` : title;
}

/**
 * A monospaced code block (inside one, Slack applies no formatting, so only entities and backticks need care),
 * split into more sections when a block would pass 3000 characters; the header row is repeated in each.
 */
function grid(columns: readonly Column[], rows: readonly Record<string, string>[]): KnownBlock[] {
  const [head = '', ...body] = tableLines(columns, rows);
  return codeSections(head, body);
}

/** The header row and one line per row, aligned, each escaped for a code block and within {@link TABLE_LINE}. */
function tableLines(columns: readonly Column[], rows: readonly Record<string, string>[]): string[] {
  const last = columns.length - 1;
  const cell = (text: string, i: number) => clip(oneLine(text), i === last ? TABLE_LAST_CELL : TABLE_CELL);
  const grid = [
    columns.map((c, i) => cell(c.label, i)),
    ...rows.map((row) => columns.map((c, i) => cell(row[c.key] ?? '', i))),
  ];
  const widths = columns.map((_, i) => Math.max(...grid.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  // Cells share a line, so each is isolated: a right-to-left override cannot reorder the cells after it.
  const line = (cells: string[]) =>
    cells
      .map((text, i) => confineBidi(pad(text, i)))
      .join('  ')
      .trimEnd();
  return grid.map((cells) => clipEncoded(line(cells), TABLE_LINE, escapeCode));
}

/** Code-block sections of at most 3000 characters, each starting with the header row. */
function codeSections(head: string, body: readonly string[]): KnownBlock[] {
  const section = (lines: string[]): SectionBlock => ({
    type: 'section',
    text: mrkdwn(`${FENCE}\n${[head, ...lines].join('\n')}\n${FENCE}`),
  });
  const room = SLACK_LIMITS.sectionText - (2 * FENCE.length + 2) - (head.length + 1);
  const blocks: KnownBlock[] = [];
  let run: string[] = [];
  let size = 0;
  for (const line of body) {
    if (run.length > 0 && size + line.length + 1 > room) {
      blocks.push(section(run));
      run = [];
      size = 0;
    }
    run.push(line);
    size += line.length + 1;
  }
  if (run.length > 0) blocks.push(section(run));
  return blocks;
}
