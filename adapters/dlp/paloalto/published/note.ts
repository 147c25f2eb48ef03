import { ok } from '../../../../src/domain/result.js';
import type { ActionReceipt, Actor, SourceResult } from '../../../../src/ports/index.js';
import { alreadyThere, holdsMarker } from '../../../../src/vendor-writes.js';
import { commentEntry } from '../triage.js';
import type { PublishedClient } from './client.js';

/**
 * The incident has one notes field and `PUT …/notes` replaces it, so appending means read, then write the old
 * text plus the new entry; the read also says whether an earlier attempt already wrote it (its marker is there).
 * Two analysts writing in the same second can still race; the API has no version to guard with.
 */
export async function appendNote(
  client: PublishedClient,
  id: string,
  entry: { note: string; marker: string },
): Promise<SourceResult<ActionReceipt>> {
  const current = await client.getIncident(id);
  if (!current.ok) return current;
  const previous = current.value.incident_notes?.trim();
  if (holdsMarker(previous, entry.marker)) return alreadyThere();
  const written = await client.setNotes(id, previous ? `${previous}\n\n${entry.note}` : entry.note);
  return written.ok ? ok({ recordedIn: 'vendor' }) : written;
}

export function addNote(client: PublishedClient, id: string, text: string, by: Actor, at: Date) {
  return appendNote(client, id, commentEntry(id, text, by, at));
}
