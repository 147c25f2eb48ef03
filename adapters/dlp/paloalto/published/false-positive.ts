import { adapterError } from '../../../../src/domain/errors.js';
import { err, ok } from '../../../../src/domain/result.js';
import type { ActionReceipt, Actor, SourceResult } from '../../../../src/ports/index.js';
import { commentEntry } from '../triage.js';
import type { PublishedClient } from './client.js';
import { FALSE_POSITIVE_FEEDBACK } from './map.js';
import { appendNote } from './note.js';

/**
 * False positive is incident feedback `CONFIRMED_FALSE_POSITIVE` (what Palo Alto's own XSOAR integration sends),
 * which needs the incident's report id and channel; the reason goes into the notes, since feedback carries none.
 * `resolution-status` is left alone: its false-positive spelling is not documented.
 */
export async function markFalsePositive(
  client: PublishedClient,
  id: string,
  reason: string,
  by: Actor,
  at: Date,
): Promise<SourceResult<ActionReceipt>> {
  const current = await client.getIncident(id);
  if (!current.ok) return current;
  const { report_id: reportId, channel, source } = current.value;
  if (!reportId) return err(adapterError('rejected', 'the incident has no report id, which incident feedback needs'));
  const sent = await client.sendFeedback(id, {
    type: FALSE_POSITIVE_FEEDBACK,
    userId: by.email ?? by.display,
    reportId,
    serviceName: channel ?? source ?? 'ngfw',
  });
  if (!sent.ok) return sent;
  const entry = commentEntry(id, reason || 'no reason given', by, at, 'Marked false positive');
  const noted = await appendNote(client, id, entry);
  if (noted.ok) return ok({ recordedIn: 'vendor' });
  return err({
    ...noted.error,
    message: `marked false positive in Enterprise DLP, but the reason could not be added as a note: ${noted.error.message}`,
  });
}
