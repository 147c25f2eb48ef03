import type { Block, Field, Tone, View } from '../../../../src/views/view.js';
import { safeUrl } from '../../slack/escape.js';
import { type Analyst, actionSet, backAction } from './buttons.js';
import { fitCard } from './fit.js';
import { table } from './table.js';
import { lines, rich, run, singleLine, TEXT_LIMITS } from './text.js';
import type { AdaptiveCard, CardElement, ColumnSet, TextColor, TextRun } from './types.js';

export interface RenderOptions {
  /** The configured analysts the Assign form offers by name; anyone else is reached by typing an email. */
  analysts?: readonly Analyst[];
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Colour alone is lost on some clients and to some people, so the tone is also an emoji, as on Slack. */
const TONE: Record<Tone, { emoji: string; color?: TextColor }> = {
  danger: { emoji: '🔴', color: 'attention' },
  warning: { emoji: '🟠', color: 'warning' },
  good: { emoji: '🟢', color: 'good' },
  neutral: { emoji: '' },
};

/** Renders a platform-neutral view as an Adaptive Card 1.5 for a channel or chat; never throws, whatever its size. */
export function renderCard(view: View, options: RenderOptions = {}): AdaptiveCard {
  return fitCard(card(body(view, options.analysts ?? [])));
}

/**
 * For an invoke response seen only by the person who clicked (snippets, outcomes): the same rendering with no
 * incident buttons, so nothing private can be acted on or forwarded from it by accident. It replaces the card
 * for the clicker until the card's next update, so `backTo` (the incident's button value) adds the one button
 * that redraws the incident card for them.
 */
export function renderPrivateCard(view: View, options: { backTo?: string } = {}): AdaptiveCard {
  const back: CardElement[] = options.backTo ? [{ type: 'ActionSet', actions: [backAction(options.backTo)] }] : [];
  return fitCard(card([...body(view, null), ...back]));
}

const card = (elements: CardElement[]): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: CARD_SCHEMA,
  version: '1.5',
  body: elements,
});

/** `analysts` null means "no actions at all". */
function body(view: View, analysts: readonly Analyst[] | null): CardElement[] {
  const blocks: Block[] = view.blocks.some((b) => b.type === 'header')
    ? view.blocks
    : [{ type: 'header', text: view.title }, ...view.blocks];
  let tone: (typeof TONE)[Tone] | null = TONE[view.tone];
  let separate = false;
  const out: CardElement[] = [];
  for (const block of blocks) {
    if (block.type === 'divider') {
      separate = out.length > 0;
      continue;
    }
    const elements = block.type === 'header' ? [header(block.text, tone)] : renderBlock(block, analysts);
    if (block.type === 'header') tone = null;
    const [first] = elements;
    if (separate && first) {
      elements[0] = { ...first, separator: true, spacing: 'medium' };
      separate = false;
    }
    out.push(...elements);
  }
  return out;
}

function header(text: string, tone: (typeof TONE)[Tone] | null): CardElement {
  const label = singleLine(text, TEXT_LIMITS.header);
  const style: Omit<TextRun, 'type' | 'text'> = { size: 'large', weight: 'bolder' };
  if (tone?.color) style.color = tone.color;
  return rich([run(tone?.emoji ? `${tone.emoji} ${label}` : label, TEXT_LIMITS.header + 3, style)]);
}

function renderBlock(
  block: Exclude<Block, { type: 'header' | 'divider' }>,
  analysts: readonly Analyst[] | null,
): CardElement[] {
  switch (block.type) {
    case 'text':
      return lines(block.text);
    case 'context':
      return lines(block.text, { isSubtle: true, size: 'small' });
    case 'fields':
      return block.fields.map(field);
    case 'table':
      return table(block.columns, block.rows);
    case 'actions': {
      const set = analysts ? actionSet(block.buttons, analysts) : null;
      return set ? [set] : [];
    }
  }
}

/** "Label | value" as two weighted columns, so labels line up down the card without a markdown FactSet. */
function field(f: Field): ColumnSet {
  const url = f.url ? safeUrl(f.url, TEXT_LIMITS.url) : null;
  const value = url
    ? [rich([run(singleLine(f.value, TEXT_LIMITS.value), TEXT_LIMITS.value, { selectAction: openUrl(url) })])]
    : lines(f.value);
  return {
    type: 'ColumnSet',
    spacing: 'small',
    columns: [
      {
        type: 'Column',
        width: 2,
        items: [rich([run(singleLine(f.label, TEXT_LIMITS.label), TEXT_LIMITS.label, { weight: 'bolder' })])],
      },
      { type: 'Column', width: 3, items: value.length > 0 ? value : [rich([run('—', 1)])] },
    ],
  };
}

const openUrl = (url: string) => ({ type: 'Action.OpenUrl' as const, title: 'Open', url });
