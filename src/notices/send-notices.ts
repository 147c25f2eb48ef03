import { incidentCard } from '../cards/incident-card.js';
import { escalationView, reminderView } from '../cards/notice-views.js';
import type { IdentityConfig } from '../config/people-schema.js';
import type { EscalationConfig, RemindersConfig } from '../config/schedules-schema.js';
import type { SendQueue } from '../delivery/send-queue.js';
import { evaluateSla, type SlaEvaluation, type SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../log.js';
import type { ActionTable } from '../ports/actions.js';
import type { ChatSurface, SourceInfo } from '../ports/index.js';
import type { NoticeKind, Store, StoredIncident } from '../store/index.js';
import type { View } from '../views/view.js';
import { ownerOf } from './owner.js';

export interface NoticeDeps {
  store: Store;
  policy: SlaPolicy;
  surfaces: readonly ChatSurface[];
  sourceInfo(sourceId: string): SourceInfo | null;
  identity: IdentityConfig;
  escalation: EscalationConfig;
  reminders: RemindersConfig;
  /** Lead-channel posts share the channels' pacing with everything else; DMs are paced per surface. */
  queue: SendQueue;
  logger: Logger;
  /** The triage actions in effect, whose buttons the notice cards carry. */
  actions: ActionTable;
}

export interface NoticeSummary {
  escalationPosts: number;
  escalationDms: number;
  reminders: number;
  /** Reminders held back because their owner snoozed them. */
  snoozed: number;
  failed: number;
}

/**
 * Escalations and reminders, each at most once per incident (a notice is recorded as soon as the platform
 * accepted it; a failure is tried again next run). The channel card itself is updated by the normal delivery
 * when the scan moves the incident to `escalated`; this adds what goes elsewhere: one post to the lead
 * channels, one DM to the assignee, and before a breach one reminder DM to the owner.
 */
export async function sendNotices(deps: NoticeDeps, now: Date): Promise<NoticeSummary> {
  const summary: NoticeSummary = { escalationPosts: 0, escalationDms: 0, reminders: 0, snoozed: 0, failed: 0 };
  const leadMs = deps.reminders.leadMinutes * 60_000;
  const work: { incident: StoredIncident; sla: SlaEvaluation }[] = [];
  // Collected first: sending awaits the platforms, and the store's iterator must be finished before writes.
  for (const incident of deps.store.incidents.iterateOpen()) {
    const sla = evaluateSla(incident, deps.policy, now);
    if (!sla) continue;
    const remind = deps.reminders.enabled && sla.state !== 'breached' && sla.state !== 'escalated';
    if (sla.state === 'escalated' || (remind && sla.remainingMs > 0 && sla.remainingMs <= leadMs)) {
      work.push({ incident, sla });
    }
  }
  for (const { incident, sla } of work) {
    const info = deps.sourceInfo(incident.source);
    if (!info) continue;
    const buttons = { actions: deps.actions, capabilities: info.capabilities };
    const card = incidentCard({ incident, sla, sourceName: info.displayName, ...buttons });
    if (sla.state === 'escalated') await escalate(deps, incident, escalationView(card, incident, sla), now, summary);
    else await remind(deps, incident, reminderView(card, incident, sla, buttons, { sentToOwner: true }), now, summary);
  }
  return summary;
}

async function escalate(deps: NoticeDeps, incident: StoredIncident, view: View, now: Date, summary: NoticeSummary) {
  for (const surface of deps.surfaces) {
    for (const channel of deps.escalation.leadChannels[surface.id] ?? []) {
      const to = { surface: surface.id, target: channel };
      if (deps.store.notices.sent(incident, 'escalation_lead', to)) continue;
      const posted = await deps.queue.post(surface, channel, view);
      if (record(deps, incident, 'escalation_lead', to, posted, now, summary)) summary.escalationPosts += 1;
    }
  }
  if (!deps.escalation.directMessage || deps.store.notices.sent(incident, 'escalation_dm')) return;
  const owner = ownerOf(incident, deps);
  if (!owner?.surface.direct) return;
  const sent = await deps.queue.direct(owner.surface, owner.userId, view);
  const to = { surface: owner.surface.id, target: owner.userId };
  if (record(deps, incident, 'escalation_dm', to, sent, now, summary)) summary.escalationDms += 1;
  if (sent.ok) deps.store.directMessages.record(incident, 'escalation', sent.value, now);
}

async function remind(deps: NoticeDeps, incident: StoredIncident, view: View, now: Date, summary: NoticeSummary) {
  if (deps.store.notices.sent(incident, 'reminder')) return;
  const owner = ownerOf(incident, deps);
  if (!owner?.surface.direct) return;
  // Held, not dropped: if the snooze ends before the breach, the reminder still goes out then.
  if (deps.store.notices.snoozedUntil(owner.surface.id, owner.userId, now)) {
    summary.snoozed += 1;
    return;
  }
  const sent = await deps.queue.direct(owner.surface, owner.userId, view);
  const to = { surface: owner.surface.id, target: owner.userId };
  if (record(deps, incident, 'reminder', to, sent, now, summary)) summary.reminders += 1;
  // Kept so the DM follows the incident (closed, reassigned) as the channel card does: see delivery/direct-updates.
  if (sent.ok) deps.store.directMessages.record(incident, 'reminder', sent.value, now);
}

function record(
  deps: NoticeDeps,
  incident: StoredIncident,
  kind: NoticeKind,
  to: { surface: string; target: string },
  result: { ok: true } | { ok: false; error: { code: string; message: string } },
  now: Date,
  summary: NoticeSummary,
): boolean {
  if (!result.ok) {
    summary.failed += 1;
    // The surface's own words ("Teams would not open a chat with …", "Slack answered user_not_found") tell the
    // operator what to fix; surfaces build them from platform error codes, never from the message they carried.
    deps.logger.warn(
      {
        source: incident.source,
        incidentId: incident.id,
        kind,
        surface: to.surface,
        target: to.target,
        code: result.error.code,
        reason: result.error.message,
      },
      'notice not delivered; tried again next run',
    );
    return false;
  }
  deps.store.notices.record(incident, kind, to, now);
  return true;
}
