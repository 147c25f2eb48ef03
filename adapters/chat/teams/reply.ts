import type { TriageOutcome } from '../../../src/ports/inbound.js';
import type { View } from '../../../src/views/view.js';

/** The invoke response types Teams understands for `adaptiveCard/action`. */
export const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';
export const INVOKE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The one-line answer to a click, for the clicker only (an invoke response is never seen by anyone else). */
export function outcomeText(outcome: Exclude<TriageOutcome, { kind: 'snippets' }>): string {
  return outcome.kind === 'failed'
    ? `${outcome.text} (correlation id ${outcome.correlationId}: quote it when asking for help)`
    : outcome.text;
}

export const errorText = (correlationId: string) =>
  `Something went wrong handling that; nothing was changed. (correlation id ${correlationId})`;

export const errorView = (correlationId: string): View => ({
  title: 'Something went wrong',
  tone: 'danger',
  blocks: [{ type: 'text', text: errorText(correlationId) }],
});

export const hintView = (): View => ({
  title: 'dlp-bot',
  tone: 'neutral',
  blocks: [
    { type: 'text', text: 'Ask me with "dlp …" or a command from the menu, for example "dlp aging high" or "help".' },
  ],
});
