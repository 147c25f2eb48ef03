import type { SourceInfo } from '../app/runtime.js';
import { evaluateSla, type SlaEvaluation, type SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ChatSurface, Clock, MessageRef } from '../ports.js';
import type { IntentKind } from '../scan/plan-intents.js';
import type { OutboxRow, Store, StoredIncident } from '../store/index.js';
import { formatDuration, truncate } from '../views/format.js';
import { incidentCard } from '../views/incident-card.js';
import type { View } from '../views/view.js';

export interface Target {
  surface: ChatSurface;
  channel: string;
}

export interface DeliveryDeps {
  store: Store;
  policy: SlaPolicy;
  clock: Clock;
  logger: Logger;
  sourceInfo(sourceId: string): SourceInfo | null;
  /** Where an incident's messages go; an empty list means nowhere (the intent is still marked done). */
  routes(incident: StoredIncident): Target[];
}

export interface DeliverySummary {
  delivered: number;
  posted: number;
  updated: number;
  retrying: number;
  dead: number;
}

const MAX_ATTEMPTS = 8;
/** Vendor text in a thread reply is bounded like on the card: an assignee can be 5,000 hostile characters. */
const MAX_VENDOR_TEXT = 200;
const ANNOUNCING: ReadonlySet<IntentKind> = new Set(['due_soon', 'breached', 'escalated']);

/** Backoff for a failed delivery: 30 s, 1 min, 2 min … capped at 30 min, unless the platform said when. */
function retryDelayMs(attempts: number, retryAfterMs?: number): number {
  return retryAfterMs ?? Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
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

/**
 * Drains due outbox rows: the first announcement of an incident posts its card; anything later updates
 * that same message and adds one short thread reply. A rescan never reposts.
 */
export async function deliverPending(deps: DeliveryDeps, limit = 500): Promise<DeliverySummary> {
  const summary: DeliverySummary = { delivered: 0, posted: 0, updated: 0, retrying: 0, dead: 0 };
  const now = deps.clock.now();
  for (const row of deps.store.outbox.due(now, limit)) {
    const outcome = await deliverOne(deps, row, summary);
    if (outcome === 'done') {
      deps.store.outbox.markDelivered(row.id, deps.clock.now());
      summary.delivered += 1;
    } else if (row.attempts + 1 >= MAX_ATTEMPTS) {
      deps.store.outbox.markDead(row.id, outcome.error);
      summary.dead += 1;
      deps.logger.error({ outboxId: row.id, kind: row.kind }, 'gave up delivering a notification');
    } else {
      const next = new Date(deps.clock.now().getTime() + retryDelayMs(row.attempts + 1, outcome.retryAfterMs));
      deps.store.outbox.markRetry(row.id, outcome.error, next);
      summary.retrying += 1;
    }
  }
  return summary;
}

type Outcome = 'done' | { error: string; retryAfterMs?: number };

async function deliverOne(deps: DeliveryDeps, row: OutboxRow, summary: DeliverySummary): Promise<Outcome> {
  const incident = deps.store.incidents.get({ source: row.source, id: row.incidentId });
  const info = deps.sourceInfo(row.source);
  if (!incident || !info) {
    // A source removed from the config (or an incident forgotten) has nobody left to announce it to.
    deps.logger.info(
      { outboxId: row.id, source: row.source, kind: row.kind },
      'announcement dropped: source no longer configured',
    );
    return 'done';
  }
  const sla = evaluateSla(incident, deps.policy, deps.clock.now());
  const view = incidentCard({ incident, sla, sourceName: info.displayName, capabilities: info.capabilities });
  const kind = row.kind as IntentKind;
  for (const target of deps.routes(incident)) {
    const posting = deps.store.postings.find(incident.source, incident.id, target.surface.id, target.channel);
    if (!posting) {
      // Never open a thread just to say an incident was closed or edited: there was nothing to update.
      if (!ANNOUNCING.has(kind)) continue;
      const posted = await target.surface.post(target.channel, view);
      if (!posted.ok) return { error: posted.error.message, retryAfterMs: posted.error.retryAfterMs };
      deps.store.postings.record({
        source: incident.source,
        incidentId: incident.id,
        surface: target.surface.id,
        channel: target.channel,
        messageId: posted.value.messageId,
        postedAt: deps.clock.now(),
      });
      summary.posted += 1;
      continue;
    }
    const ref: MessageRef = { surface: posting.surface, channel: posting.channel, messageId: posting.messageId };
    const reply: View = { title: threadLine(kind, incident, sla, info.displayName), tone: view.tone, blocks: [] };
    reply.blocks.push({ type: 'text', text: reply.title });
    const updated = await target.surface.update(ref, view);
    if (!updated.ok) return { error: updated.error.message, retryAfterMs: updated.error.retryAfterMs };
    const replied = await target.surface.reply(ref, reply);
    if (!replied.ok) return { error: replied.error.message, retryAfterMs: replied.error.retryAfterMs };
    deps.store.postings.touch(
      { source: incident.source, incidentId: incident.id, surface: target.surface.id, channel: target.channel },
      deps.clock.now(),
    );
    summary.updated += 1;
  }
  return 'done';
}
