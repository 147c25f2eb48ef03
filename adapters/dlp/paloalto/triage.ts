import { adapterError } from '../../../src/domain/errors.js';
import { clipText } from '../../../src/domain/incident.js';
import { err, ok } from '../../../src/domain/result.js';
import {
  type ActionReceipt,
  type Actor,
  SNIPPET_TEXT_CAP,
  type Snippet,
  type SourceResult,
} from '../../../src/ports/index.js';
import type { PaloAltoClient } from './client.js';

/** How a note reads in the vendor console: who wrote it, through what, and when. */
export function formatNote(text: string, by: Actor, at: Date, label = 'Note'): string {
  const who = by.email ?? by.display;
  return `[${at.toISOString().slice(0, 16).replace('T', ' ')} UTC] ${label} by ${who} via dlp-bot: ${text}`;
}

/**
 * The seed API keeps one `reviewer_comments` string and PUT replaces it, so appending means read, then
 * write the old text plus the new entry. Two analysts writing in the same second can still race; the
 * vendor offers no version field to guard with.
 */
async function appendComment(
  client: PaloAltoClient,
  id: string,
  entry: string,
  status?: string,
): Promise<SourceResult<ActionReceipt>> {
  const current = await client.getIncident(id);
  if (!current.ok) return current;
  const previous = current.value.reviewer_comments?.trim();
  const reviewer_comments = previous ? `${previous}\n\n${entry}` : entry;
  const updated = await client.updateIncident(id, status ? { status, reviewer_comments } : { reviewer_comments });
  return updated.ok ? ok({ recordedIn: 'vendor' }) : updated;
}

export function addNote(client: PaloAltoClient, id: string, text: string, by: Actor, at: Date) {
  return appendComment(client, id, formatNote(text, by, at));
}

/** False positive in the seed API is the `dismissed` status, with the reason in the reviewer comments. */
export function markFalsePositive(client: PaloAltoClient, id: string, reason: string, by: Actor, at: Date) {
  const entry = formatNote(reason || 'no reason given', by, at, 'Marked false positive');
  return appendComment(client, id, entry, 'dismissed');
}

export async function snippets(client: PaloAltoClient, id: string): Promise<SourceResult<Snippet[]>> {
  const response = await client.getSnippets(id);
  if (!response.ok) return response;
  return ok(
    // The vendor's own `masked` flag is not read: it once said true over a raw SSN, and the core masks anyway.
    response.value.snippets.map((s) => ({
      label: s.pattern_name ?? 'match',
      text: clipText(s.snippet, SNIPPET_TEXT_CAP) ?? '',
    })),
  );
}

export const assignUnsupported = () =>
  Promise.resolve(err(adapterError('unsupported', 'Palo Alto Enterprise DLP (seed API) has no assignment endpoint')));
