import type { AdaptiveCard } from './types.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The Bot Framework attachment for a message activity (the same shape as botbuilder's `CardFactory.adaptiveCard`). */
export function cardAttachment(card: AdaptiveCard): {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
} {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
