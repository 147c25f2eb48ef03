import { evaluateSla, type SlaPolicy } from '../domain/sla.js';
import type { ListWindow } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { withoutLocalAssignee } from './local-record.js';
import { announcesState } from './plan-intents.js';

/**
 * The stored incident as the vendor reported it: a local assignee laid over it is not the vendor's. A source the
 * store held nothing of when the scan began (its first scan) is answered without a lookup per incident.
 */
export function knownIn(store: Store, source: string, holdsAny: boolean): NonNullable<ListWindow['known']> {
  if (!holdsAny) return () => null;
  return (id) => {
    const stored = store.incidents.get({ source, id });
    if (!stored) return null;
    const { assignee } = withoutLocalAssignee(stored, store.triage.get(stored));
    const { createdAt, severity, rawStatus, lastSeenAt, slaState } = stored;
    return { createdAt, severity, rawStatus, assignee, lastSeenAt, slaState };
  };
}

/**
 * Whether the scan at `now` draws a card for a listed incident, by the rule the announcements follow (a state
 * announces only upwards). Local triage laid over a record can still hold the card back; the answer only tells an
 * adapter which incidents a field the card shows is worth a call for.
 */
export function announcesAt(policy: SlaPolicy, now: Date): NonNullable<ListWindow['announces']> {
  return (incident, known) =>
    announcesState(known?.slaState ?? null, evaluateSla(incident, policy, now)?.state ?? null);
}
