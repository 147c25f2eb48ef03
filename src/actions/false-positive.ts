import { formatIncidentRef } from '../domain/incident.js';
import {
  type ActionResult,
  type ActionSpec,
  actorOf,
  charCount,
  confirmedDetail,
  confirmedText,
  recordedHere,
} from '../ports/actions.js';
import { truncate } from '../views/format.js';

const MAX_REASON_LENGTH = 1_000;
/** The reason in the thread reply: enough to read, not a wall in the channel. */
const MAX_REASON_IN_LINE = 200;

export const falsePositiveAction: ActionSpec = {
  id: 'incident.false_positive',
  legacyIds: ['dlp.false_positive', 'dlp.modal.false_positive'],
  label: 'Mark false positive',
  style: 'danger',
  card: 'incident',
  role: 'analyst',
  doing: 'Marking false positives',
  redraws: true,
  cli: { name: 'fp', summary: 'Mark an incident as a false positive, with a reason' },
  form: {
    title: 'False positive',
    submit: 'Mark false positive',
    confirm: 'Mark this incident as a false positive?',
    fields: [
      {
        kind: 'text',
        id: 'reason',
        label: 'Reason',
        noun: 'reason',
        max: MAX_REASON_LENGTH,
        // One policy on every surface (triage.falsePositiveReason), enforced by the core that reads the form.
        required: (settings) => settings.falsePositiveReason === 'required',
        empty: 'Say why this is not a real leak.',
        placeholder: 'Why is this not a real leak?',
        multiline: true,
        example: 'Synthetic test data from QA.',
        legacyIds: ['dlpReason'],
      },
    ],
  },
  async execute(input, subject): Promise<ActionResult> {
    const { source, incident, clicker, actorId } = subject;
    const reason = input.text.reason ?? '';
    const reasonLength = charCount(reason);
    const ref = formatIncidentRef(incident);
    const because = reason ? ` (“${truncate(reason, MAX_REASON_IN_LINE)}”)` : '';
    const line = `Marked false positive by ${clicker.display}${because}`;
    const local = (): ActionResult => ({
      kind: 'changed',
      recordedIn: 'local',
      text: `Marked ${ref} as a false positive — ${recordedHere(source)}. Its SLA no longer applies.`,
      line: `${line} — ${recordedHere(source)}`,
      detail: { reasonLength, recordedIn: 'local' },
      recordLocal: (store, at) =>
        store.triage.setClosure(incident, { status: 'false_positive', reason: reason || null, by: actorId, at }),
    });
    if (!source.capabilities.falsePositive) return local();
    const result = await source.markFalsePositive(incident.id, reason, actorOf(clicker));
    if (!result.ok) return { kind: 'failed', error: result.error, detail: { reasonLength } };
    if (result.value.recordedIn === 'local') return local();
    return {
      kind: 'changed',
      recordedIn: 'vendor',
      text: `Marked ${ref} as a false positive in ${source.displayName}${confirmedText(result.value, source)}.`,
      line,
      detail: { reasonLength, recordedIn: 'vendor', ...confirmedDetail(result.value) },
      expected: (current) => ({ ...current, status: 'false_positive' }),
    };
  },
};
