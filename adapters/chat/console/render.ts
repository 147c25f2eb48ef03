import { truncate } from '../../../src/views/format.js';
import type { Block, Button, Column, Tone, View } from '../../../src/views/view.js';
import { sanitizeForTerminal, sanitizeLine } from './sanitize.js';
import { triageLine } from './triage-line.js';

export interface RenderOptions {
  color: boolean;
  /** Terminal width; tables shrink their widest column to fit. */
  width: number;
}

export const TONE_COLOR: Record<Tone, string> = { danger: '31', warning: '33', good: '32', neutral: '36' };
export const TONE_MARK: Record<Tone, string> = { danger: '■', warning: '▲', good: '✔', neutral: '•' };
const MAX_CELL = 60;
/** The last column has the rest of the line to itself, so notes and details are not cut mid-sentence. */
const MAX_LAST_CELL = 300;

export const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** What the actions block needs from the rest of the view. */
interface ActionsContext {
  /** The commands that do what the view's buttons do (`triageLine`), said once however many button rows it has. */
  triage: string | null;
  /** Links the fields already show, so a link button does not repeat them. */
  shownUrls: ReadonlySet<string>;
}

/**
 * Renders a view as plain terminal text; every string from the view is sanitised first. The renderer makes the
 * lines: one for the title, each header, context, field, table row and command, and none of them can be split by
 * what it shows. Only a text block keeps the line breaks its author wrote, except in a view about an incident,
 * whose text blocks are one line each (a lead line naming a vendor's id or assignee).
 */
export function renderView(view: View, options: RenderOptions): string {
  const s = sanitizeLine;
  const lines = [paint(options.color, `1;${TONE_COLOR[view.tone]}`, `${TONE_MARK[view.tone]} ${s(view.title)}`)];
  const shownUrls = new Set(
    view.blocks.flatMap((b) => (b.type === 'fields' ? b.fields.flatMap((f) => (f.url ? [f.url] : [])) : [])),
  );
  const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
  const actions: ActionsContext = { triage: triageLine(buttons, view.subject), shownUrls };
  for (const block of view.blocks) {
    // Chat platforms show a header under the notification text; here the title line already said it.
    if (block.type === 'header' && block.text === view.title) continue;
    lines.push(...renderBlock(block, options, actions, view.subject !== undefined));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Buttons cannot be pressed on a terminal, so none are drawn: one line names the commands that do the same and
 * how to see the card again, and link buttons become their URL.
 */
function renderActions(buttons: readonly Button[], context: ActionsContext, options: RenderOptions): string[] {
  const s = sanitizeLine;
  const lines: string[] = [];
  if (context.triage && buttons.some((b) => !b.url)) {
    lines.push(paint(options.color, '2', `  ${s(context.triage)}`));
    context.triage = null;
  }
  for (const button of buttons) {
    if (button.url && !context.shownUrls.has(button.url)) lines.push(`  ${s(button.label)}: ${s(button.url)}`);
  }
  return lines;
}

function renderBlock(block: Block, options: RenderOptions, actions: ActionsContext, aboutIncident: boolean): string[] {
  const s = sanitizeLine;
  switch (block.type) {
    case 'header':
      return [paint(options.color, '1', s(block.text))];
    case 'text':
      return aboutIncident ? [s(block.text)] : sanitizeForTerminal(block.text).split('\n');
    case 'context':
      return [paint(options.color, '2', s(block.text))];
    case 'divider':
      return [paint(options.color, '2', '─'.repeat(Math.min(options.width, 60)))];
    case 'fields': {
      const width = Math.max(...block.fields.map((f) => f.label.length));
      return block.fields.map(
        (f) =>
          `  ${paint(options.color, '2', s(f.label).padEnd(width))}  ${s(f.url ? `${f.value} <${f.url}>` : f.value)}`,
      );
    }
    case 'actions':
      return renderActions(block.buttons, actions, options);
    case 'table':
      return renderTable(block.columns, block.rows, options);
  }
}

function renderTable(columns: Column[], rows: Record<string, string>[], options: RenderOptions): string[] {
  if (rows.length === 0) return [paint(options.color, '2', '  (none)')];
  const last = columns[columns.length - 1]?.key;
  const cell = (row: Record<string, string>, key: string) =>
    truncate(sanitizeLine(row[key] ?? ''), key === last ? MAX_LAST_CELL : MAX_CELL);
  const widths = columns.map((c) => Math.max(c.label.length, ...rows.map((r) => Array.from(cell(r, c.key)).length)));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[i] ?? 0) - Array.from(text).length));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  const header = paint(
    options.color,
    '1',
    columns
      .map((c, i) => pad(c.label, i))
      .join('  ')
      .trimEnd(),
  );
  const body = rows.map((r) =>
    columns
      .map((c, i) => pad(cell(r, c.key), i))
      .join('  ')
      .trimEnd(),
  );
  return [header, ...body];
}
