/**
 * A stretch of the detectors' view to hide. `each`: every letter and digit becomes a dot except in the last `tail`
 * positions, separators stay, so `•••• •••• •••• 4242` still reads as a card; `collapse`: the stretch becomes `fill`
 * dots whatever its length, since a secret's length and alphabet say something about it too.
 */
export type Span =
  | { start: number; end: number; style: 'each'; tail: number }
  | { start: number; end: number; style: 'collapse'; fill: number };

export const SECRET_FILL = 8;

/** Overlapping spans become one; hiding a secret whole wins over keeping a tail. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (!last || span.start >= last.end) {
      merged.push({ ...span });
      continue;
    }
    const end = Math.max(last.end, span.end);
    if (last.style === 'collapse' || span.style === 'collapse') {
      const fill = Math.max(last.style === 'collapse' ? last.fill : 0, span.style === 'collapse' ? span.fill : 0);
      merged[merged.length - 1] = { start: last.start, end, style: 'collapse', fill };
    } else merged[merged.length - 1] = { start: last.start, end, style: 'each', tail: Math.min(last.tail, span.tail) };
  }
  return merged;
}
