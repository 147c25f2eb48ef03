/** The idempotency marker dlp-bot appends to every note it writes to a vendor (`src/vendor-writes.ts`). */
export const NOTE_MARKER = / \[dlpbot-[0-9a-f]{12}\]/g;

/** A vendor's note text without its markers, to compare the words people read; undefined stays undefined. */
export function withoutMarkers<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? text.replace(NOTE_MARKER, '') : text) as T;
}

/** How many markers a vendor's note text holds: one per note dlp-bot wrote, never two for one retried note. */
export const markerCount = (text: string | null | undefined): number => (text ?? '').match(NOTE_MARKER)?.length ?? 0;
