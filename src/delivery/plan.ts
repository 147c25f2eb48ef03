import { incidentCard } from '../cards/incident-card.js';
import { evaluateSla, type SlaEvaluation, type SlaPolicy } from '../domain/sla.js';
import type { ActionTable } from '../ports/actions.js';
import type { Clock, MessageRef, SourceInfo } from '../ports/index.js';
import type { IntentKind } from '../scan/plan-intents.js';
import type { OutboxRow, Store, StoredIncident } from '../store/index.js';
import { formatDuration, truncate } from '../views/format.js';
import type { View } from '../views/view.js';
import type { RollupPlan } from './rollup.js';
import type { Target } from './routes.js';

export interface PlanDeps {
  store: Store;
  policy: SlaPolicy;
  clock: Clock;
  sourceInfo(sourceId: string): SourceInfo | null;
  routes(incident: StoredIncident): Target[];
  /** The triage actions in effect, whose buttons the cards carry. */
  actions: ActionTable;
}

/** What one outbox row does in one channel. */
export type Step =
  /** First announcement there: a new card, in the channel or in the run's roll-up thread. */
  | { kind: 'post'; target: Target; inThread: boolean }
  /** The card is already there: update it and add a thread reply. */
  | { kind: 'update'; target: Target; ref: MessageRef }
  /** An earlier row (of this run or one still running) posts the card; update it once that post succeeded. */
  | { kind: 'after-post'; target: Target };

export type PlannedRow =
  | { row: OutboxRow; dropped: true }
  | { row: OutboxRow; dropped: false; incident: StoredIncident; card: View; reply: View; steps: Step[] };

/** Vendor text in a thread reply is bounded like on the card: an assignee can be 5,000 hostile characters. */
const MAX_VENDOR_TEXT = 200;
/** A reply line written by the scan (`outbox.detail`) may quote vendor text too. */
const MAX_DETAIL = 300;
const ANNOUNCING: ReadonlySet<IntentKind> = new Set(['due_soon', 'breached', 'escalated']);

export const channelKey = (target: Target): string => `${target.surface.id}\u0000${target.channel}`;
export const messageKey = (incident: StoredIncident, target: Target): string =>
  `${incident.source}\u0000${incident.id}\u0000${channelKey(target)}`;

/**
 * Decides, before anything is sent, what every due row does in every routed channel, so the run knows how
 * many new cards each channel would get (the roll-up needs that count up front). Rows are planned in outbox
 * order: the first announcement of an incident in a channel posts, later rows of the run update that card.
 */
export function planDelivery(
  deps: PlanDeps,
  rows: readonly OutboxRow[],
  rollups: RollupPlan,
  /** Cards an earlier, still running delivery is posting right now (their posting is not stored yet). */
  postingNow: (messageKey: string) => boolean,
): PlannedRow[] {
  const postedThisRun = new Set<string>();
  return rows.map((row): PlannedRow => {
    const incident = deps.store.incidents.get({ source: row.source, id: row.incidentId });
    const info = deps.sourceInfo(row.source);
    // A source removed from the config (or an incident forgotten) has nobody left to announce it to.
    if (!incident || !info) return { row, dropped: true };
    const { sla, card } = drawCard(deps, incident, info);
    const line = row.detail ? truncate(row.detail, MAX_DETAIL) : threadLine(row.kind, incident, sla, info.displayName);
    const reply: View = { title: line, tone: card.tone, blocks: [{ type: 'text', text: line }] };
    const steps = deps.routes(incident).flatMap((target): Step[] => {
      const key = messageKey(incident, target);
      if (postedThisRun.has(key) || postingNow(key)) return [{ kind: 'after-post', target }];
      const posting = deps.store.postings.find(incident.source, incident.id, target.surface.id, target.channel);
      if (posting) {
        const ref: MessageRef = { surface: posting.surface, channel: posting.channel, messageId: posting.messageId };
        if (posting.threadId) ref.threadId = posting.threadId;
        return [{ kind: 'update', target, ref }];
      }
      // Never open a thread just to say an incident was closed or edited: there was nothing to update.
      if (!ANNOUNCING.has(row.kind)) return [];
      postedThisRun.add(key);
      return [{ kind: 'post', target, inThread: rollups.claim(channelKey(target), incident.severity) }];
    });
    return { row, dropped: false, incident, card, reply, steps };
  });
}

/** An incident's card as of now (its SLA evaluated at the deps' clock). */
export function drawCard(
  deps: PlanDeps,
  incident: StoredIncident,
  info: SourceInfo,
): { sla: SlaEvaluation | null; card: View } {
  const sla = evaluateSla(incident, deps.policy, deps.clock.now());
  const { displayName: sourceName, capabilities } = info;
  return { sla, card: incidentCard({ incident, sla, sourceName, capabilities, actions: deps.actions }) };
}

function threadLine(kind: IntentKind, incident: StoredIncident, sla: SlaEvaluation | null, vendor: string): string {
  switch (kind) {
    case 'due_soon':
      return `SLA due soon: ends in ${formatDuration(sla?.remainingMs ?? 0)}.`;
    case 'breached':
      return `SLA breached: overdue by ${formatDuration(sla?.overdueMs ?? 0)}.`;
    case 'escalated':
      return `Escalated: more than twice the SLA window has passed (overdue by ${formatDuration(sla?.overdueMs ?? 0)}).`;
    case 'closed':
      return `No longer awaiting triage: ${incident.status.replace('_', ' ')} in ${vendor}.`;
    case 'updated':
      return `Updated from ${vendor}: status ${incident.status.replace('_', ' ')}, assignee ${incident.assignee ? truncate(incident.assignee, MAX_VENDOR_TEXT) : 'none'}.`;
  }
}
