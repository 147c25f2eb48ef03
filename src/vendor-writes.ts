import { createHash } from 'node:crypto';
import { err, ok } from './domain/result.js';
import type { ActionReceipt, SourceResult } from './ports/index.js';

/**
 * What adapters use so a triage write is reported as the vendor holds it: notes carry an idempotency marker looked
 * for before anything is written, and a write whose answer cannot be read is checked by reading the incident again.
 */

/** What makes two notes the same note: a second one with all of these equal is a retry, not news. */
export interface NoteIdentity {
  incidentId: string;
  /** Who the note names as its author (email, else display name). */
  author: string;
  /** The kind of entry (`Note`, `Marked false positive`). */
  label: string;
  text: string;
  /** When it is written; only its UTC day counts, so the same words tomorrow are a new note. */
  at: Date;
}

/**
 * A note's idempotency marker, `dlpbot-` and 12 hex digits of a hash of the note's identity. A vendor that takes no
 * idempotency key (none of ours does) still keeps the marker in the note's text, so a retry (the platform's, or a
 * person clicking again after an unclear failure, which has a new request id) finds the first attempt there and
 * adds nothing. Letters, digits and a dash only: vendors search notes with LIKE, whose wildcards it avoids.
 */
export function noteMarker(note: NoteIdentity): string {
  const day = note.at.toISOString().slice(0, 10);
  const identity = [note.incidentId, note.author, note.label, note.text, day].join('\n');
  return `dlpbot-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}

/** The note as the vendor stores it: the entry and its marker; a long entry is clipped so the marker survives `limit`. */
export function withMarker(entry: string, marker: string, limit = Number.POSITIVE_INFINITY): string {
  const suffix = ` [${marker}]`;
  const room = limit - suffix.length;
  const kept =
    entry.length <= room ? entry : `${entry.slice(0, Math.max(0, room - 1)).replace(/[\uD800-\uDBFF]$/, '')}…`;
  return `${kept}${suffix}`;
}

/** Whether a vendor's note text (one note, or all of them joined) holds the marker. */
export const holdsMarker = (text: string | null | undefined, marker: string): boolean => (text ?? '').includes(marker);

/** The receipt for a write the incident already held (a retry): nothing was written a second time. */
export const alreadyThere = (): SourceResult<ActionReceipt> => ok({ recordedIn: 'vendor', confirmed: 'already' });

/**
 * A write whose answer failed validation (`schema_mismatch`: cut off, another shape, another incident's id) may
 * still have been applied. `applied` reads the incident again: when it shows the change, the write is reported
 * applied with `confirmed: 'reread'` instead of a failure that would invite a second, duplicate write; otherwise,
 * or when the re-read fails too, the original error stands. Any other outcome passes through unchanged.
 */
export async function confirmWrite(
  written: SourceResult<ActionReceipt>,
  applied: () => Promise<SourceResult<boolean>>,
): Promise<SourceResult<ActionReceipt>> {
  if (written.ok || written.error.code !== 'schema_mismatch') return written;
  const reread = await applied();
  if (reread.ok && reread.value) return ok({ recordedIn: 'vendor', confirmed: 'reread' });
  return err(written.error);
}
