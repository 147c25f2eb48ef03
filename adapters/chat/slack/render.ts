import type {
  ActionsBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
  Button as SlackButton,
} from '@slack/types';
import type { Block, Button, Field, Tone, View } from '../../../src/views/view.js';
import { escapeMrkdwn, inertMrkdwn, mrkdwnLink, safeUrl } from './escape.js';
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
import { renderTable } from './table.js';
import { contextLine, mrkdwn, plain } from './text-objects.js';

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
export const SHORTENED_NOTICE = "Message shortened to fit Slack's limits";

export { TABLE_MAX_ROWS } from './table.js';
export { contextLine, plain } from './text-objects.js';

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
