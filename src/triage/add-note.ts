import { formatIncidentRef } from '../domain/incident.js';
import { MAX_NOTE_LENGTH } from '../store/index.js';
import { type ActionResult, type ActionSpec, actorOf, charCount, recordedHere } from './action-spec.js';
import { fingerprintText } from './fingerprint.js';

const count = (n: number) => n.toLocaleString('en-US');

export const addNoteAction: ActionSpec<'note'> = {
  action: 'note',
  auditAction: 'incident.note',
  requiredRole: 'analyst',
  doing: 'Adding notes',
  fingerprint: (request) => fingerprintText(request.text.trim()),
  async execute(request, subject, _deps): Promise<ActionResult> {
    const { source, incident, clicker } = subject;
    const text = request.text.trim();
    const length = charCount(text);
    if (length === 0)
      return { kind: 'invalid', text: 'The note is empty.', field: 'text', detail: { invalid: 'empty' } };
    if (length > MAX_NOTE_LENGTH) {
      return {
        kind: 'invalid',
        text: `The note has ${count(length)} characters; notes can have at most ${count(MAX_NOTE_LENGTH)}.`,
        field: 'text',
        detail: { invalid: 'too_long', length },
      };
    }
    const ref = formatIncidentRef(incident);
    const local = (): ActionResult => ({
      kind: 'changed',
      recordedIn: 'local',
      text: `Note added to ${ref} — ${recordedHere(source)}.`,
      line: `Note added by ${clicker.display} — ${recordedHere(source)}`,
      detail: { length, recordedIn: 'local' },
      recordLocal: (store, at) =>
        store.notes.add({
          source: incident.source,
          incidentId: incident.id,
          at,
          author: clicker.email ? `${clicker.display} (${clicker.email})` : clicker.display,
          text,
        }),
    });
    if (!source.capabilities.note) return local();
    const result = await source.addNote(incident.id, text, actorOf(clicker));
    if (!result.ok) return { kind: 'failed', error: result.error, detail: { length } };
    if (result.value.recordedIn === 'local') return local();
    return {
      kind: 'changed',
      recordedIn: 'vendor',
      text: `Note added to ${ref} in ${source.displayName}.`,
      line: `Note added by ${clicker.display}`,
      detail: { length, recordedIn: 'vendor' },
    };
  },
};
