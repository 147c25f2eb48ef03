import type { Database } from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident.js';
import { MAX_NOTE_LENGTH } from '../domain/limits.js';
import type { LocalNote, LocalNoteInput } from './types.js';
import { fromMillis, toMillis } from './values.js';

export { MAX_NOTE_LENGTH };

/** Notes for vendors without a note API. */
export interface NoteRepo {
  /** Stores a note of 1 to 2,000 characters (longer or empty is a bug in the caller: it throws). */
  add(note: LocalNoteInput): LocalNote;
  /** The incident's notes, oldest first. */
  list(key: IncidentKey): LocalNote[];
}

interface Row {
  id: number;
  source: string;
  incident_id: string;
  at: number;
  author: string;
  text: string;
}

const fromRow = (row: Row): LocalNote => ({
  id: row.id,
  source: row.source,
  incidentId: row.incident_id,
  at: fromMillis(row.at),
  author: row.author,
  text: row.text,
});

export function createNoteRepo(db: Database): NoteRepo {
  const addStmt = db.prepare<[string, string, number, string, string]>(
    'INSERT INTO local_notes (source, incident_id, at, author, text) VALUES (?, ?, ?, ?, ?)',
  );
  const listStmt = db.prepare<[string, string], Row>(
    'SELECT * FROM local_notes WHERE source = ? AND incident_id = ? ORDER BY at, id',
  );
  return {
    add(note) {
      // Counted in code points, as SQLite's length() counts the CHECK in the table.
      const length = Array.from(note.text).length;
      if (length === 0 || length > MAX_NOTE_LENGTH) {
        throw new RangeError(`a note must have 1 to ${MAX_NOTE_LENGTH} characters, got ${length}`);
      }
      const result = addStmt.run(note.source, note.incidentId, toMillis(note.at), note.author, note.text);
      return { id: Number(result.lastInsertRowid), ...note };
    },
    list: (key) => listStmt.all(key.source, key.id).map(fromRow),
  };
}
