import { formatIncidentRef, type Incident, SEVERITIES, type Severity } from '../domain/incident.js';
import { evaluateSla, type SlaPolicy } from '../domain/sla.js';
import type { Store } from '../store/index.js';
import { trends } from './trends.js';

const HOUR_MS = 3_600_000;
/** "Due soon" in a digest means the next few hours of the team's day, not the policy's due-soon share. */
export const DUE_WITHIN_MS = 4 * HOUR_MS;
export const OLDEST_BREACHES = 5;

/** Which incidents a digest covers: a channel's digest covers what is routed to that channel. */
export type DigestScope = (incident: Pick<Incident, 'source' | 'severity' | 'policy'>) => boolean;

export interface OldestBreach {
  ref: string;
  severity: Severity;
  ageMinutes: number;
  overdueMinutes: number;
  /** The vendor console's page for it. */
  link: string | null;
  /** The card this bot posted for it in the digest's channel, when there is one. */
  message: { surface: string; channel: string; messageId: string; threadId: string | null } | null;
}

export interface PolicyNoise {
  policy: string;
  closed: number;
  falsePositives: number;
}

export interface DigestData {
  at: string;
  open: number;
  awaiting: number;
  bySeverity: Record<Severity, number>;
  bySource: Record<string, number>;
  breached: number;
  escalated: number;
  dueWithin4h: number;
  oldestBreaches: OldestBreach[];
  holders: { holder: string; open: number }[];
  unassigned: number;
  /** Closed in the last 24 hours. */
  resolved24h: number;
  falsePositives24h: number;
  /** Incidents whose SLA deadline fell in the last 7 days, and how many of them were triaged by it. */
  compliance7d: { due: number; withinSla: number };
  /** Median minutes from creation to the first action (assign, take, note, false positive), last 7 days. */
  medianFirstActionMinutes: number | null;
  firstActions7d: number;
  /** Policies by false-positive share of the incidents closed in the last 7 days, noisiest first. */
  noisyPolicies: PolicyNoise[];
}

/**
 * Who holds an incident: the assignee recorded here (the vendor cannot hold one) wins over the vendor's.
 * Keys ignore case so `Alice@Corp` in one console and `alice@corp` in another are one person.
 */
function holderOf(incident: Incident, store: Store): { key: string; label: string } | null {
  const local = store.triage.get(incident)?.assignee;
  if (local) {
    const id = local.email ?? (local.chatUserId ? `${local.surface}:${local.chatUserId}` : local.display);
    return { key: id.toLowerCase(), label: local.email ?? local.display };
  }
  const vendor = incident.assignee?.trim();
  return vendor ? { key: vendor.toLowerCase(), label: vendor } : null;
}

export interface CollectOptions {
  store: Store;
  policy: SlaPolicy;
  now: Date;
  scope?: DigestScope;
  /** The channel the digest goes to, so the oldest breaches can link to their cards there. */
  channel?: { surface: string; channel: string };
}

/** One pass over the open incidents; memory stays bounded by the number of sources and holders. */
export function collectDigest({ store, policy, now, scope, channel }: CollectOptions): DigestData {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const bySource: Record<string, number> = {};
  const holders = new Map<string, { label: string; count: number }>();
  const data: DigestData = {
    at: now.toISOString(),
    open: 0,
    awaiting: 0,
    bySeverity,
    bySource,
    breached: 0,
    escalated: 0,
    dueWithin4h: 0,
    oldestBreaches: [],
    holders: [],
    unassigned: 0,
    ...trends(store, policy, now, scope),
  };
  for (const incident of store.incidents.iterateOpen()) {
    if (scope && !scope(incident)) continue;
    data.open += 1;
    bySeverity[incident.severity] += 1;
    bySource[incident.source] = (bySource[incident.source] ?? 0) + 1;
    const holder = holderOf(incident, store);
    if (!holder) data.unassigned += 1;
    else {
      const tally = holders.get(holder.key) ?? { label: holder.label, count: 0 };
      tally.count += 1;
      holders.set(holder.key, tally);
    }
    const sla = evaluateSla(incident, policy, now);
    if (!sla) continue;
    data.awaiting += 1;
    if (sla.state === 'escalated') data.escalated += 1;
    if (sla.overdueMs > 0) {
      data.breached += 1;
      // Open incidents come oldest first, so the first breaches met are the oldest.
      if (data.oldestBreaches.length < OLDEST_BREACHES) {
        const posting = channel
          ? store.postings.find(incident.source, incident.id, channel.surface, channel.channel)
          : null;
        data.oldestBreaches.push({
          ref: formatIncidentRef(incident),
          severity: incident.severity,
          ageMinutes: Math.floor((now.getTime() - incident.createdAt.getTime()) / 60_000),
          overdueMinutes: Math.floor(sla.overdueMs / 60_000),
          link: incident.link,
          message: posting
            ? {
                surface: posting.surface,
                channel: posting.channel,
                messageId: posting.messageId,
                threadId: posting.threadId,
              }
            : null,
        });
      }
    } else if (sla.remainingMs <= DUE_WITHIN_MS) data.dueWithin4h += 1;
  }
  data.holders = [...holders.values()]
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .map((t) => ({ holder: t.label, open: t.count }));
  return data;
}
