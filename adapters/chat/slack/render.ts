import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
  Button as SlackButton,
} from '@slack/types';
import type { Block, Button, Column, Field, Tone, View } from '../../../src/views/view.js';
import { confineBidi, escapeCode, escapeMrkdwn, inertMrkdwn, mrkdwnLink, safeUrl } from './escape.js';
import {
  chunk,
  clip,
  clipEncoded,
  isBlank,
  MESSAGE_TEXT_BUDGET,
  oneLine,
  orDash,
  SLACK_LIMITS,
  splitText,
} from './limits.js';

/** Tags the message with the incident it shows, so a click can be traced back without a database lookup. */
export interface IncidentMetadata {
  event_type: 'dlp_incident';
  event_payload: { source: string; id: string };
}

export interface SlackMessage {
  /** The notification fallback: the view title, escaped. */
  text: string;
  blocks: KnownBlock[];
  metadata?: IncidentMetadata;
}

/** Attachments (and their colour bar) are legacy, so the tone is an emoji at the start of the header. */
const TONE_EMOJI: Record<Tone, string> = { danger: '🔴', warning: '🟠', good: '🟢', neutral: '' };
const LINK_LABEL_MAX = 200;
/** A table is a summary; the full list is one `dlp-bot` command away. */
export const TABLE_MAX_ROWS = 20;
const TABLE_CELL = 32;
/** The last column has the rest of the line, so notes are not cut mid-sentence. */
const TABLE_LAST_CELL = 60;
const TABLE_LINE = 1000;
const FENCE = '```';
export const SHORTENED_NOTICE = "Message shortened to fit Slack's limits";

/** Plain text is never parsed by Slack, so view text goes in unescaped; `:shortcodes:` stay literal too. */
export const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: false });
const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });
export const contextLine = (text: string): ContextBlock => ({
  type: 'context',
  elements: [plain(clip(orDash(text), SLACK_LIMITS.contextText))],
});

/** Renders a platform-neutral view as a Block Kit message; never throws, whatever the size of the view. */
export function renderMessage(view: View): SlackMessage {
  const message: SlackMessage = {
    text: clipEncoded(orDash(oneLine(view.title)), SLACK_LIMITS.fallbackText, escapeMrkdwn),
    blocks: fitMessage(renderBlocks(view)),
  };
  if (view.subject) {
    const { source, id } = view.subject;
    message.metadata = { event_type: 'dlp_incident', event_payload: { source, id } };
  }
  return message;
}

/** For `chat.postEphemeral` and `respond()`: the same rendering, without metadata. */
export function ephemeralFor(view: View): { text: string; blocks: KnownBlock[] } {
  const { text, blocks } = renderMessage(view);
  return { text, blocks };
}

/** The body for a slash command's `ack()`/`respond()`: private to the asker unless they shared it. */
export function slashReply(
  view: View,
  share: boolean,
): { response_type: 'ephemeral' | 'in_channel'; text: string; blocks: KnownBlock[] } {
  return { response_type: share ? 'in_channel' : 'ephemeral', ...ephemeralFor(view) };
}

function renderBlocks(view: View): KnownBlock[] {
  // Slack shows the title only in notifications once there are blocks, so a view without a header gets one.
  const source: Block[] = view.blocks.some((b) => b.type === 'header')
    ? view.blocks
    : [{ type: 'header', text: view.title }, ...view.blocks];
  let tone = TONE_EMOJI[view.tone];
  return source.flatMap((block) => {
    if (block.type !== 'header') return renderBlock(block);
    const text = tone ? `${tone} ${block.text}` : block.text;
    tone = '';
    return [header(text)];
  });
}

function renderBlock(block: Exclude<Block, { type: 'header' }>): KnownBlock[] {
  switch (block.type) {
    case 'text':
      return splitText(block.text, SLACK_LIMITS.sectionText)
        .filter((piece) => !isBlank(piece))
        .map((piece): SectionBlock => ({ type: 'section', text: plain(piece) }));
    case 'fields':
      return chunk(block.fields, SLACK_LIMITS.sectionFields / 2).map(
        (run): SectionBlock => ({ type: 'section', fields: run.flatMap(field) }),
      );
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'context':
      return isBlank(block.text) ? [] : [contextLine(block.text)];
    case 'actions':
      return actions(block.buttons);
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(clip(orDash(oneLine(text)), SLACK_LIMITS.headerText)) };
}

/**
 * Each field is two text objects, so the section's two columns read "label | value": our label in bold mrkdwn,
 * the (vendor) value as plain text, shown exactly as the vendor wrote it.
 */
function field(f: Field): [MrkdwnElement, PlainTextElement | MrkdwnElement] {
  const label = mrkdwn(`*${clipEncoded(orDash(oneLine(f.label)), SLACK_LIMITS.fieldText - 2, inertMrkdwn)}*`);
  const value = orDash(f.value);
  const link = f.url ? mrkdwnLink(f.url, clip(oneLine(value), LINK_LABEL_MAX), SLACK_LIMITS.fieldText) : null;
  return [label, link ? mrkdwn(link) : plain(clip(value, SLACK_LIMITS.fieldText))];
}

/**
 * Up to 25 buttons per actions block. A repeated `action_id` starts a new block, because Slack wants them
 * unique within a block and renaming one would break the handler registered under it.
 */
function actions(buttons: readonly Button[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  let current: SlackButton[] = [];
  for (const b of buttons) {
    const full = current.length >= SLACK_LIMITS.actionsElements;
    if (full || current.some((other) => other.action_id === b.actionId)) {
      blocks.push({ type: 'actions', elements: current });
      current = [];
    }
    current.push(button(b));
  }
  if (current.length > 0) blocks.push({ type: 'actions', elements: current });
  return blocks;
}

function button(b: Button): SlackButton {
  const out: SlackButton = {
    type: 'button',
    action_id: b.actionId.slice(0, SLACK_LIMITS.actionId),
    text: plain(clip(orDash(oneLine(b.label)), SLACK_LIMITS.buttonText)),
  };
  // A value cut short would be broken JSON; without one the handler falls back to the message's metadata.
  if (b.value.length > 0 && b.value.length <= SLACK_LIMITS.buttonValue) out.value = b.value;
  const url = b.url ? safeUrl(b.url, SLACK_LIMITS.buttonUrl) : null;
  if (url) out.url = url;
  if (b.style) out.style = b.style;
  return out;
}

/**
 * A table is a monospaced code block (inside one, Slack applies no formatting, so only entities and backticks
 * need care), at most {@link TABLE_MAX_ROWS} rows and split into more sections when a block would pass 3000
 * characters; the header row is repeated in each. Cut rows are counted in a context line.
 */
function renderTable(columns: readonly Column[], rows: readonly Record<string, string>[]): KnownBlock[] {
  if (columns.length === 0 || rows.length === 0) return [contextLine('(none)')];
  const [head = '', ...body] = tableLines(columns, rows.slice(0, TABLE_MAX_ROWS));
  const blocks = codeSections(head, body);
  if (rows.length > TABLE_MAX_ROWS) blocks.push(contextLine(`… and ${rows.length - TABLE_MAX_ROWS} more`));
  return blocks;
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

/** Columns as a monospaced font shows them: zero-width, format and combining characters take no column. */
const displayWidth = (text: string) => Array.from(text.replace(/[\p{Cf}\p{Mn}\p{Me}]/gu, '')).length;

/** Keeps a message within 50 blocks and the text budget; what does not fit is replaced by a notice. */
function fitMessage(blocks: KnownBlock[]): KnownBlock[] {
  const sizes = blocks.map(textSize);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (blocks.length <= SLACK_LIMITS.messageBlocks && total <= MESSAGE_TEXT_BUDGET) return blocks;
  const kept: KnownBlock[] = [];
  let used = SHORTENED_NOTICE.length;
  for (const [i, block] of blocks.entries()) {
    const size = sizes[i] ?? 0;
    if (kept.length >= SLACK_LIMITS.messageBlocks - 1 || used + size > MESSAGE_TEXT_BUDGET) break;
    kept.push(block);
    used += size;
  }
  return [...kept, contextLine(SHORTENED_NOTICE)];
}

/** The characters a block shows: the sum of its text objects. */
function textSize(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textSize(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  const record = value as Record<string, unknown>;
  if ((record.type === 'plain_text' || record.type === 'mrkdwn') && typeof record.text === 'string') {
    return record.text.length;
  }
  return Object.values(record).reduce((sum: number, item) => sum + textSize(item), 0);
}
