import { evaluateSla } from '../domain/sla.js';
import { noticeView } from '../notices/views.js';
import type { ChatSurface, MessageRef } from '../ports.js';
import type { DirectMessage } from '../store/index.js';
import type { DeliveryDeps } from './deliver.js';
import type { PlannedRow } from './plan.js';
import type { SendQueue } from './send-queue.js';

type Card = Extract<PlannedRow, { dropped: false }>;

/**
 * Brings the reminder and escalation DMs of the run's incidents up to date, alongside their channel cards: the
 * same card, under the DM's own heading (reminder or escalation, closed once the incident is), through the same
 * send queue. No thread reply: in a one-to-one chat it would only be noise. Best effort by design: a failed DM
 * update is logged and never holds up or fails the channel cards' row (the next change of the incident redraws
 * the DM again); a DM the platform no longer has is forgotten. Returns how many DMs were updated.
 */
export async function updateDirectMessages(
  deps: DeliveryDeps,
  queue: SendQueue,
  planned: readonly PlannedRow[],
): Promise<number> {
  const surfaces = new Map((deps.surfaces ?? []).filter((s) => s.direct).map((s) => [s.id, s]));
  if (surfaces.size === 0) return 0;
  // One update per incident and run: every row of an incident draws the same card (planned from the store).
  const latest = new Map<string, Card>();
  for (const plan of planned) if (!plan.dropped) latest.set(`${plan.incident.source}\u0000${plan.incident.id}`, plan);
  const sends: Promise<boolean>[] = [];
  for (const plan of latest.values()) {
    const sla = evaluateSla(plan.incident, deps.policy, deps.clock.now());
    for (const dm of deps.store.directMessages.listForIncident(plan.incident)) {
      const surface = surfaces.get(dm.surface);
      if (!surface) continue;
      sends.push(updateOne(deps, queue, surface, dm, noticeView(dm.kind, plan.card, plan.incident, sla)));
    }
  }
  const done = await Promise.all(sends);
  return done.filter(Boolean).length;
}

async function updateOne(
  deps: DeliveryDeps,
  queue: SendQueue,
  surface: ChatSurface,
  dm: DirectMessage,
  view: Parameters<SendQueue['update']>[2],
): Promise<boolean> {
  const ref: MessageRef = { surface: dm.surface, channel: dm.channel, messageId: dm.messageId };
  const context = { source: dm.source, incidentId: dm.incidentId, kind: dm.kind, surface: dm.surface };
  try {
    const updated = await queue.update(surface, ref, view, { urgent: !!deps.urgent });
    if (updated.ok) {
      deps.store.directMessages.touch(ref, deps.clock.now());
      return true;
    }
    if (updated.error.code === 'not_found') {
      deps.store.directMessages.forget(ref);
      deps.logger.info({ ...context, reason: updated.error.message }, 'DM is gone; no longer updating it');
      return false;
    }
    deps.logger.warn(
      { ...context, code: updated.error.code, reason: updated.error.message },
      'could not update a DM; it is redrawn at the next change of its incident',
    );
  } catch (error) {
    deps.logger.error({ ...context, err: error }, 'could not update a DM');
  }
  return false;
}
