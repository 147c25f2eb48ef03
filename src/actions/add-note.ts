import { formatIncidentRef } from '../domain/incident.js';
import { MAX_NOTE_LENGTH } from '../domain/limits.js';
import {
  type ActionResult,
  type ActionSpec,
  actorOf,
  charCount,
  confirmedDetail,
  confirmedText,
  recordedHere,
} from '../ports/actions.js';

export const addNoteAction: ActionSpec = {
  id: 'incident.note',
  legacyIds: ['dlp.note', 'dlp.modal.note'],
  label: 'Add note',
  card: 'incident',
  role: 'analyst',
  doing: 'Adding notes',
  redraws: true,
  cli: { name: 'note', summary: "Add a note to an incident, in the vendor's console when it has notes" },
  form: {
    title: 'Add note',
    submit: 'Add note',
    fields: [
      {
        kind: 'text',
        id: 'note',
        label: 'Note',
        noun: 'note',
        max: MAX_NOTE_LENGTH,
        required: true,
        empty: 'Write a note before saving.',
        placeholder: 'What did you find or do?',
        hint: 'Up to 2,000 characters.',
        multiline: true,
        flag: 'text',
        example: 'Called the user; expected transfer.',
        legacyIds: ['dlpNote'],
      },
    ],
  },
  async execute(input, subject): Promise<ActionResult> {
    const { source, incident, clicker } = subject;
    const text = input.text.note ?? '';
    const length = charCount(text);
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
      text: `Note added to ${ref} in ${source.displayName}${confirmedText(result.value, source)}.`,
      line: `Note added by ${clicker.display}`,
      detail: { length, recordedIn: 'vendor', ...confirmedDetail(result.value) },
    };
  },
};
