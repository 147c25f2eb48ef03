import type { ListWindow } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { withoutLocalAssignee } from './local-record.js';

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
    const { createdAt, severity, rawStatus, lastSeenAt } = stored;
    return { createdAt, severity, rawStatus, assignee, lastSeenAt };
  };
}
