import { noticeView } from '../cards/notice-views.js';
import { evaluateSla } from '../domain/sla.js';
import type { ChatResult, ChatSurface, MessageRef } from '../ports/index.js';
import type { DirectMessage } from '../store/index.js';
import type { View } from '../views/view.js';
import type { DeliveryDeps } from './deliver.js';
import { drawCard, type PlannedRow } from './plan.js';
import type { SendQueue } from './send-queue.js';

type Card = Extract<PlannedRow, { dropped: false }>;
type ChatError = Extract<ChatResult<void>, { ok: false }>['error'];

/** Failed updates of one DM before its record is dropped (the DM then keeps the card it last showed). */
export const MAX_DM_UPDATE_ATTEMPTS = 6;
/** Stale DMs redrawn per delivery run, so a long platform outage cannot turn one run into a flood. */
const RETRIES_PER_RUN = 500;

/**
 * The first retry goes at the very next delivery run (a closed incident has no next change to wait for); later
 * ones back off 1 min, 2 min … capped at 30 min, unless the platform said when.
 */
function retryDelayMs(failures: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return failures <= 1 ? 0 : Math.min(60_000 * 2 ** (failures - 2), 30 * 60_000);
}

/**
 * Brings the reminder and escalation DMs of the run's incidents up to date, alongside their channel cards: the
 * same card, under the DM's own heading (reminder or escalation, closed once the incident is), through the same
 * send queue. No thread reply: in a one-to-one chat it would only be noise. A failed DM update never holds up or
 * fails the channel cards' row: the DM is marked stale and redrawn by the next delivery runs (bounded, see
 * MAX_DM_UPDATE_ATTEMPTS), whether or not its incident changes again; a DM the platform no longer has is
 * forgotten. Returns how many DMs were updated.
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
  for (const plan of planned) if (!plan.dropped) latest.set(incidentKey(plan.incident), plan);
  const sends: Promise<boolean>[] = [];
  const send = (dm: DirectMessage, view: View) => {
    const surface = surfaces.get(dm.surface);
    if (surface) sends.push(updateOne(deps, queue, surface, dm, view));
  };
  for (const plan of latest.values()) {
    const sla = evaluateSla(plan.incident, deps.policy, deps.clock.now());
    const capabilities = deps.sourceInfo(plan.incident.source)?.capabilities;
    if (!capabilities) continue;
    for (const dm of deps.store.directMessages.listForIncident(plan.incident)) {
      send(dm, noticeView(dm.kind, plan.card, plan.incident, sla, { actions: deps.actions, capabilities }));
    }
  }
  // Stale DMs of incidents this run does not touch are drawn from the store as they are now.
  for (const dm of deps.store.directMessages.dueForRetry(deps.clock.now(), RETRIES_PER_RUN)) {
    if (latest.has(incidentKey({ source: dm.source, id: dm.incidentId }))) continue;
    const view = staleView(deps, dm);
    if (view) send(dm, view);
  }
  const done = await Promise.all(sends);
  return done.filter(Boolean).length;
}

const incidentKey = (key: { source: string; id: string }) => `${key.source}\u0000${key.id}`;

function staleView(deps: DeliveryDeps, dm: DirectMessage): View | null {
  const incident = deps.store.incidents.get({ source: dm.source, id: dm.incidentId });
  const info = deps.sourceInfo(dm.source);
  // The source left the config: nothing to draw the card from until it is back (the row is kept).
  if (!incident || !info) return null;
  const { sla, card } = drawCard(deps, incident, info);
  return noticeView(dm.kind, card, incident, sla, { actions: deps.actions, capabilities: info.capabilities });
}

async function updateOne(
  deps: DeliveryDeps,
  queue: SendQueue,
  surface: ChatSurface,
  dm: DirectMessage,
  view: View,
): Promise<boolean> {
  const ref: MessageRef = { surface: dm.surface, channel: dm.channel, messageId: dm.messageId };
  const context = { source: dm.source, incidentId: dm.incidentId, kind: dm.kind, surface: dm.surface };
  let failure: ChatError;
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
    failure = updated.error;
  } catch (error) {
    deps.logger.error({ ...context, err: error }, 'could not update a DM');
    failure = { code: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
  retryLater(deps, ref, dm, failure, context);
  return false;
}

function retryLater(
  deps: DeliveryDeps,
  ref: MessageRef,
  dm: DirectMessage,
  failure: ChatError,
  context: Record<string, string>,
): void {
  const failures = dm.retryAttempts + 1;
  const reason = { ...context, code: failure.code, reason: failure.message, attempts: failures };
  if (failures >= MAX_DM_UPDATE_ATTEMPTS) {
    deps.store.directMessages.forget(ref);
    deps.logger.warn(reason, 'gave up updating a DM; it keeps the card it last showed');
    return;
  }
  const retryAt = new Date(deps.clock.now().getTime() + retryDelayMs(failures, failure.retryAfterMs));
  deps.store.directMessages.markStale(ref, failures, retryAt);
  deps.logger.warn({ ...reason, retryAt: retryAt.toISOString() }, 'could not update a DM; retrying it later');
}
