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
import { alreadyThere, confirmWrite, holdsMarker, noteMarker, withMarker } from '../../../src/vendor-writes.js';
import type { PaloAltoClient } from './client.js';
import type { PanIncident } from './schema.js';

/** How a note reads in the vendor console: who wrote it, through what, and when. */
export function formatNote(text: string, by: Actor, at: Date, label = 'Note'): string {
  const who = by.email ?? by.display;
  return `[${at.toISOString().slice(0, 16).replace('T', ' ')} UTC] ${label} by ${who} via dlp-bot: ${text}`;
}

/**
 * One entry for the incident's comments: the formatted note and its idempotency marker (`src/vendor-writes.ts`), so
 * a retry finds the first attempt in the comments instead of appending the same entry again.
 */
export function commentEntry(id: string, text: string, by: Actor, at: Date, label = 'Note') {
  const marker = noteMarker({ incidentId: id, author: by.email ?? by.display, label, text, at });
  return { note: withMarker(formatNote(text, by, at, label), marker), marker };
}

/**
 * The seed API keeps one `reviewer_comments` string and PUT replaces it, so appending means read, then write the
 * old text plus the new entry; the read also says whether an earlier attempt already wrote it. Two analysts writing
 * in the same second can still race; the vendor offers no version field to guard with.
 */
async function appendComment(
  client: PaloAltoClient,
  id: string,
  entry: { note: string; marker: string },
  status?: string,
): Promise<SourceResult<ActionReceipt>> {
  const current = await client.getIncident(id);
  if (!current.ok) return current;
  const holds = (incident: PanIncident) =>
    holdsMarker(incident.reviewer_comments, entry.marker) && (!status || incident.status === status);
  if (holds(current.value)) return alreadyThere();
  // Noted but with another status (reopened since): only the status is written again.
  const previous = current.value.reviewer_comments?.trim() ?? '';
  const noted = holdsMarker(previous, entry.marker);
  const reviewer_comments = noted ? previous : previous ? `${previous}\n\n${entry.note}` : entry.note;
  const updated = await client.updateIncident(id, status ? { status, reviewer_comments } : { reviewer_comments });
  return confirmWrite(updated.ok ? ok({ recordedIn: 'vendor' }) : updated, async () => {
    const reread = await client.getIncident(id);
    return reread.ok ? ok(holds(reread.value)) : reread;
  });
}

export function addNote(client: PaloAltoClient, id: string, text: string, by: Actor, at: Date) {
  return appendComment(client, id, commentEntry(id, text, by, at));
}

/** False positive in the seed API is the `dismissed` status, with the reason in the reviewer comments. */
export function markFalsePositive(client: PaloAltoClient, id: string, reason: string, by: Actor, at: Date) {
  return appendComment(
    client,
    id,
    commentEntry(id, reason || 'no reason given', by, at, 'Marked false positive'),
    'dismissed',
  );
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
