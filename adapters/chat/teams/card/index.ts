/**
 * Adaptive Card 1.5 rendering for the Teams surface: the same platform-neutral views as Slack, with every
 * string shown as plain text, Action.Execute buttons with inline (ShowCard) forms, and a size budget.
 */
export { ADAPTIVE_CARD_CONTENT_TYPE, cardAttachment } from './attachment.js';
export { type Analyst, BACK_VERB, DATA_KEY } from './buttons.js';
export { CARD_BUDGET_BYTES, cardBytes, SHORTENED_NOTICE } from './fit.js';
export { type CardClick, parseCardTarget, readCardClick } from './parse-action.js';
export { CARD_SCHEMA, type RenderOptions, renderCard, renderPrivateCard } from './render.js';
export { TABLE_MAX_ROWS } from './table.js';
export type * from './types.js';
