import { expect } from 'vitest';
import type {
  AdaptiveCard,
  CardElement,
  ColumnSet,
  ExecuteAction,
  RichTextBlock,
  ShowCardAction,
} from '../../../adapters/chat/teams/card/index.js';
import { CARD_BUDGET_BYTES, cardBytes } from '../../../adapters/chat/teams/card/index.js';
import { validateAdaptiveCard } from '../../support/adaptive-card-schema.js';

type Json = Record<string, unknown>;

/** Every object in the card, depth first, including the cards inside ShowCard forms. */
export function nodes(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(nodes)];
}

export const ofType = <T>(card: unknown, type: string) => nodes(card).filter((n) => n.type === type) as T[];

/** What a person reads: every TextRun's text, in order. */
export const runTexts = (card: unknown) => ofType<{ text: string }>(card, 'TextRun').map((r) => r.text);

/** The text of one RichTextBlock. */
export const textOf = (block: CardElement | undefined) =>
  (block as RichTextBlock | undefined)?.inlines.map((r) => r.text).join('') ?? '';

export const executes = (card: unknown) => ofType<ExecuteAction>(card, 'Action.Execute');
export const showCards = (card: unknown) => ofType<ShowCardAction>(card, 'Action.ShowCard');

/** A ColumnSet's cells as the text of each column. */
export const cells = (set: CardElement | undefined) =>
  (set as ColumnSet).columns.map((c) => c.items.map((item) => textOf(item)).join('\n'));

/** Valid against the 1.5 subset schema and within the size budget: what every rendered card must be. */
export function expectSendable(card: AdaptiveCard): void {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
}
