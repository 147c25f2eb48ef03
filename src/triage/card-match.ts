import { formatIncidentRef, type IncidentKey } from '../domain/incident.js';
import type { MessageRef } from '../ports/index.js';
import type { Store } from '../store/index.js';

/**
 * The incident (as `source:id`) a click's message was posted for, when that is not the incident its button names;
 * null when they agree or the message is not one of the incident posts (a `dlp show` answer, a reminder DM). Each
 * post carries exactly one incident's buttons, so a button naming another one is forged or corrupted, and acting
 * on it would change an incident nobody was looking at.
 */
export function postedForAnother(store: Store, key: IncidentKey, message: MessageRef | null): string | null {
  if (!message) return null;
  const posting = store.postings.findByMessage(message.surface, message.channel, message.messageId);
  if (!posting || (posting.source === key.source && posting.incidentId === key.id)) return null;
  return formatIncidentRef({ source: posting.source, id: posting.incidentId });
}
