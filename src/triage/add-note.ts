import { formatIncidentRef } from '../domain/incident.js';
import { type ActionResult, type ActionSpec, actorOf, recordedHere } from './action-spec.js';
import { fingerprintText } from './fingerprint.js';
import { cleanTypedText, readTypedText } from './typed-text.js';

export const addNoteAction: ActionSpec<'note'> = {
  action: 'note',
  auditAction: 'incident.note',
  requiredRole: 'analyst',
  doing: 'Adding notes',
  fingerprint: (request) => fingerprintText(cleanTypedText(request.text)),
  async execute(request, subject, _deps): Promise<ActionResult> {
    const { source, incident, clicker } = subject;
    const typed = readTypedText('note', request.text);
    if (!typed.ok) {
      const detail = { error: 'invalid_input', invalid: typed.problem, length: typed.length };
      return { kind: 'invalid', text: typed.message, field: 'text', detail };
    }
    const { text, length } = typed;
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
