import type { Column as ViewColumn } from '../../../../src/views/view.js';
import { displayWidth, fitsPhone, isBlank, oneLine } from '../../slack/limits.js';
import { lines, rich, run, singleLine } from './text.js';
import type { CardElement, ColumnSet, Container, TextRun } from './types.js';

/** A table is a summary; the full list is one `dlp-bot` command away. */
export const TABLE_MAX_ROWS = 20;
const TABLE_CELL = 32;
/** The last column has the rest of the line, so notes are not cut mid-sentence. */
const TABLE_LAST_CELL = 60;
/** An entry's cells wrap across the whole card, so they are cut later than a grid's: a ref whole, a policy name. */
const ENTRY_CELL = 120;
/** The text of an entry's second line, so 20 entries of long vendor text still fit the card budget (fit.ts). */
const ENTRY_DETAILS = 400;

type Row = Record<string, string>;

/**
 * A table that fits a phone is a grid; any other is one entry per row (see `fitsPhone`), because the Agents
 * Playground and Teams mobile are phone-wide and squeeze a wide grid's columns to a character or two. Either way
 * at most {@link TABLE_MAX_ROWS} rows are shown; the rest are counted in a visible "… and N more" line.
 */
export function table(columns: readonly ViewColumn[], rows: readonly Row[]): CardElement[] {
  if (columns.length === 0 || rows.length === 0) return lines('(none)', { isSubtle: true, size: 'small' });
  const shown = rows.slice(0, TABLE_MAX_ROWS);
  const out: CardElement[] = fitsPhone(columns, shown) ? grid(columns, shown) : shown.map((r) => entry(columns, r));
  if (rows.length > TABLE_MAX_ROWS) {
    const more = (rows.length - TABLE_MAX_ROWS).toLocaleString('en-US');
    out.push(...lines(`… and ${more} more`, { isSubtle: true, size: 'small' }));
  }
  return out;
}

/**
 * One Container per row: the first cell in bold on its own line, the others below as one wrapping line of
 * "Label: value · …" with the labels subtle. Empty cells are left out.
 */
function entry(columns: readonly ViewColumn[], row: Row): Container {
  const [first, ...rest] = columns;
  const title = rich([run(singleLine(row[first?.key ?? ''] ?? '', ENTRY_CELL), ENTRY_CELL, { weight: 'bolder' })]);
  const details: TextRun[] = [];
  let room = ENTRY_DETAILS;
  for (const c of rest) {
    const value = oneLine(row[c.key] ?? '').trim();
    if (isBlank(value)) continue;
    const label = `${details.length > 0 ? ' · ' : ''}${singleLine(c.label, TABLE_CELL)}: `;
    const fits = Math.min(ENTRY_CELL, room - label.length);
    if (fits < 2) {
      details.push(run(details.length > 0 ? ' …' : '…', 2, { isSubtle: true }));
      break;
    }
    details.push(run(label, label.length, { isSubtle: true }), run(value, fits));
    room -= label.length + Math.min(value.length, fits);
  }
  const items: CardElement[] = details.length > 0 ? [title, rich(details, { spacing: 'none' })] : [title];
  return { type: 'Container', spacing: 'medium', items };
}

/**
 * A header row and one ColumnSet per row (Table elements are 1.5-only and lag on mobile). Each column's weight is
 * its widest cell, so the columns line up from row to row and none is squeezed below its content.
 */
function grid(columns: readonly ViewColumn[], rows: readonly Row[]): ColumnSet[] {
  const last = columns.length - 1;
  const weights = columns.map((c) =>
    Math.max(1, displayWidth(oneLine(c.label)), ...rows.map((r) => displayWidth(oneLine(r[c.key] ?? '')))),
  );
  const row = (cells: (c: ViewColumn) => string, bold: boolean): ColumnSet => ({
    type: 'ColumnSet',
    spacing: 'none',
    columns: columns.map((c, i) => {
      const max = i === last ? TABLE_LAST_CELL : TABLE_CELL;
      const text = run(singleLine(cells(c), max), max, bold ? { weight: 'bolder' } : {});
      const block = c.align === 'right' ? rich([text], { horizontalAlignment: 'right' }) : rich([text]);
      return { type: 'Column', width: weights[i] ?? 1, items: [block] };
    }),
  });
  return [row((c) => c.label, true), ...rows.map((r) => row((c) => r[c.key] ?? '', false))];
}
