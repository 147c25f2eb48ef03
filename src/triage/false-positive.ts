import { formatIncidentRef } from '../domain/incident.js';
import { truncate } from '../views/format.js';
import { type ActionResult, type ActionSpec, actorOf, recordedHere } from './action-spec.js';
import { fingerprintText } from './fingerprint.js';
import { cleanTypedText, readTypedText, TYPED_FIELDS } from './typed-text.js';

export const MAX_REASON_LENGTH = TYPED_FIELDS.reason.max;
/** The reason in the thread reply: enough to read, not a wall in the channel. */
const MAX_REASON_IN_LINE = 200;

export const falsePositiveAction: ActionSpec<'false_positive'> = {
  action: 'false_positive',
  auditAction: 'incident.false_positive',
  requiredRole: 'analyst',
  doing: 'Marking false positives',
  fingerprint: (request) => fingerprintText(cleanTypedText(request.reason)),
  async execute(request, subject, _deps): Promise<ActionResult> {
    const { source, incident, clicker, actorId } = subject;
    const typed = readTypedText('reason', request.reason);
    if (!typed.ok) {
      const detail = { error: 'invalid_input', invalid: typed.problem, reasonLength: typed.length };
      return { kind: 'invalid', text: typed.message, field: 'reason', detail };
    }
    const { text: reason, length: reasonLength } = typed;
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
      text: `Marked ${ref} as a false positive in ${source.displayName}.`,
      line,
      detail: { reasonLength, recordedIn: 'vendor' },
      expected: (current) => ({ ...current, status: 'false_positive' }),
    };
  },
};
