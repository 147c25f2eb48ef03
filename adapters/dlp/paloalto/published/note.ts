import { ok } from '../../../../src/domain/result.js';
import type { ActionReceipt, Actor, SourceResult } from '../../../../src/ports/index.js';
import { formatNote } from '../triage.js';
import type { PublishedClient } from './client.js';

/**
 * The incident has one notes field and `PUT …/notes` replaces it, so appending means read, then write the old
 * text plus the new entry. Two analysts writing in the same second can still race; the API has no version to
 * guard with.
 */
export async function appendNote(
  client: PublishedClient,
  id: string,
  entry: string,
): Promise<SourceResult<ActionReceipt>> {
  const current = await client.getIncident(id);
  if (!current.ok) return current;
  const previous = current.value.incident_notes?.trim();
  const written = await client.setNotes(id, previous ? `${previous}\n\n${entry}` : entry);
  return written.ok ? ok({ recordedIn: 'vendor' }) : written;
}

export function addNote(client: PublishedClient, id: string, text: string, by: Actor, at: Date) {
  return appendNote(client, id, formatNote(text, by, at));
}
