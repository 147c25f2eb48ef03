import type { PaloAltoDataset } from '../dataset.js';

/**
 * The dataset with `marker` in every piece of evidence the API serves, and nowhere else: each snippet's text and
 * an extra `matched_content` field on every record (a field no adapter may copy). Tests then search the bot's
 * database, output and logs for the marker to prove evidence never lands there.
 */
export function withEvidenceMarker(dataset: PaloAltoDataset, marker: string | undefined): PaloAltoDataset {
  if (!marker) return dataset;
  return {
    ...dataset,
    incident: (position) => ({ ...dataset.incident(position), matched_content: `matched ${marker} in row 7` }),
    snippets: (position) => dataset.snippets(position).map((s) => ({ ...s, snippet: `${s.snippet} ${marker}` })),
  };
}
