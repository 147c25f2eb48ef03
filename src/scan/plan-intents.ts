import { formatIncidentRef, type IncidentKey } from '../domain/incident.js';
import type { SlaState } from '../domain/sla.js';

export type IntentKind = 'due_soon' | 'breached' | 'escalated' | 'updated' | 'closed';

export interface Intent {
  kind: IntentKind;
  /** Unique per announcement, so a rescan or a crash-and-retry can never queue the same one twice. */
  dedupeKey: string;
}

const RANK: Record<SlaState, number> = { ok: 0, due_soon: 1, breached: 2, escalated: 3 };
const ANNOUNCED: ReadonlySet<SlaState> = new Set(['due_soon', 'breached', 'escalated']);

/** Whether a card is drawn when an incident's SLA state goes from `before` to `after`: states announce only upwards. */
export function announcesState(before: SlaState | null, after: SlaState | null): after is Exclude<SlaState, 'ok'> {
  return after !== null && after !== 'ok' && (before === null || RANK[after] > RANK[before]);
}

export interface IntentInput {
  key: IncidentKey;
  previous: { slaState: SlaState | null; contentHash: string } | null;
  slaState: SlaState | null;
  contentHash: string;
}

/**
 * What a change to one incident should tell the channel. States only ever announce upwards
 * (due soon → breached → escalated); once announced, later changes update that message instead.
 */
export function planIntents({ key, previous, slaState, contentHash }: IntentInput): Intent[] {
  const ref = formatIncidentRef(key);
  const before = previous?.slaState ?? null;
  const wasAnnounced = before !== null && ANNOUNCED.has(before);

  if (announcesState(before, slaState)) {
    // Back in triage after leaving it (reopened, in review → open): the plain key may already be used by its
    // first announcement, which would swallow this one and leave the message saying it was closed.
    const again = previous !== null && before === null;
    return [{ kind: slaState, dedupeKey: again ? `${ref}#${slaState}#${contentHash}` : `${ref}#${slaState}` }];
  }
  if (!wasAnnounced || !previous) return [];
  if (slaState === null) return [{ kind: 'closed', dedupeKey: `${ref}#closed#${contentHash}` }];
  if (previous.contentHash !== contentHash || slaState !== before) {
    return [{ kind: 'updated', dedupeKey: `${ref}#updated#${slaState}#${contentHash}` }];
  }
  return [];
}
