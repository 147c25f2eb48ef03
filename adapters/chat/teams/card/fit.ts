import { rich, run } from './text.js';
import type { AdaptiveCard, CardElement } from './types.js';

/**
 * The size budget for one card, in UTF-8 bytes of its JSON. Teams rejects a bot message over 100 KB with 413
 * `MessageSizeTooBig` (counted as UTF-16, so 50,000 ASCII characters); older docs said 40 KB and 28 KB and some
 * clients still cut there. 28,000 UTF-8 bytes is at most 56 KB as UTF-16 and leaves room for the activity
 * around the card, so a card within it fits every limit ever documented.
 */
export const CARD_BUDGET_BYTES = 28_000;

export const SHORTENED_NOTICE = "Card shortened to fit Teams' size limit.";

export const cardBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

const notice = (): CardElement => rich([run(SHORTENED_NOTICE, 100, { isSubtle: true, size: 'small' })]);

/**
 * Keeps a card within {@link CARD_BUDGET_BYTES}. When it is over, the body is kept from the top while it fits,
 * then a visible notice says it was shortened. Buttons come through whole when they take at most half the
 * budget (always, for incident cards): a card that can no longer be acted on is worse than a shorter one.
 */
export function fitCard(card: AdaptiveCard): AdaptiveCard {
  if (cardBytes(card) <= CARD_BUDGET_BYTES) return card;
  // JSON for an array is `[a,b,c]`: the empty card plus each element plus one comma per element is exact.
  const bytes = (element: CardElement) => cardBytes(element) + 1;
  const actionSets = card.body.filter((e) => e.type === 'ActionSet');
  const reserved = actionSets.reduce((sum, e) => sum + bytes(e), 0);
  const keepActions = reserved <= CARD_BUDGET_BYTES / 2;
  let used = cardBytes({ ...card, body: [] }) + bytes(notice()) + (keepActions ? reserved : 0);
  const kept: CardElement[] = [];
  for (const element of card.body) {
    if (keepActions && element.type === 'ActionSet') continue;
    const size = bytes(element);
    if (used + size > CARD_BUDGET_BYTES) break;
    kept.push(element);
    used += size;
  }
  return { ...card, body: [...kept, notice(), ...(keepActions ? actionSets : [])] };
}
