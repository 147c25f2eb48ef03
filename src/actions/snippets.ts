import { adapterError } from '../domain/errors.js';
import { formatIncidentRef } from '../domain/incident.js';
import type { ActionResult, ActionSpec } from '../ports/actions.js';
import type { Snippet } from '../ports/index.js';
import { truncate } from '../views/format.js';
import type { Block, View } from '../views/view.js';
import { maskSnippet } from './mask.js';

/** Enough to judge a match; the rest stays in the vendor console. Chat platforms cap a message's size too. */
const MAX_SNIPPETS = 20;
const MAX_SNIPPET_TEXT = 500;
const MAX_LABEL = 80;
/** Each is cut to its budget before masking (one character is left for the `…` of a cut), never masked whole. */
const MASK_LIMITS = { label: MAX_LABEL - 1, text: MAX_SNIPPET_TEXT - 1 };

/** The clicker's private view of the evidence, masked. Built per request and never kept. */
export function snippetsView(ref: string, snippets: readonly Snippet[], vendor: string): View {
  const title = `Snippets for ${ref}`;
  const blocks: Block[] = [
    { type: 'header', text: title },
    { type: 'context', text: 'Masked · visible only to you · not stored by dlp-bot' },
  ];
  if (snippets.length === 0) {
    blocks.push({ type: 'text', text: 'No snippets available.' });
    return { title, tone: 'neutral', blocks };
  }
  const shown = snippets.slice(0, MAX_SNIPPETS).map((snippet) => maskSnippet(snippet, MASK_LIMITS));
  blocks.push({
    type: 'fields',
    fields: shown.map((s, i) => ({
      label: truncate(s.label || `Snippet ${i + 1}`, MAX_LABEL),
      value: truncate(s.text, MAX_SNIPPET_TEXT),
    })),
  });
  const more = snippets.length - shown.length;
  if (more > 0) blocks.push({ type: 'context', text: `${more} more in ${vendor}.` });
  return { title, tone: 'neutral', blocks };
}

export const snippetsAction: ActionSpec = {
  id: 'incident.snippets',
  legacyIds: ['dlp.snippets'],
  label: 'View snippets',
  card: 'incident',
  role: 'analyst',
  doing: 'Viewing snippets',
  redraws: false,
  cli: { name: 'snippets', summary: "Show an incident's matched content, masked, on this terminal only" },
  // Evidence only exists in the vendor; there is nothing to show locally when the API has none.
  showWhen: (_incident, capabilities) => capabilities.snippets,
  async execute(_input, { source, incident }): Promise<ActionResult> {
    // A click on an older card (or a typed command) can still ask a vendor without the API: call nothing then.
    if (!source.capabilities.snippets) {
      return { kind: 'failed', error: adapterError('unsupported', 'no snippets API'), detail: {} };
    }
    const result = await source.snippets(incident.id);
    if (!result.ok) return { kind: 'failed', error: result.error };
    const view = snippetsView(formatIncidentRef(incident), result.value, source.displayName);
    return { kind: 'snippets', view, detail: { count: result.value.length } };
  },
};
