import { CLOSED_STATUSES, clipText, type Incident, TEXT_LIMITS } from '../../../src/domain/incident.js';
import { idLink } from '../../../src/http/url.js';
import type { ZwaIncident } from './schema.js';

const names = (items: readonly { name?: string | null | undefined }[] | null | undefined): string | null => {
  const kept = (items ?? []).map((i) => i.name?.trim() ?? '').filter((n) => n !== '');
  return kept.length ? [...new Set(kept)].join(', ') : null;
};

export const isOpen = (record: ZwaIncident) => !CLOSED_STATUSES.has(record.normalisedStatus);

/**
 * Allowlists the fields the bot may keep. The policy is the matched rules (the engines when no rule is named);
 * the channel is the DLP source (Inline, Email, SaaS Security, Endpoint). Notes, triggers, the evidence and
 * metadata file URLs, network and content details stay out: they are evidence, and evidence links are never
 * posted anywhere. `assignedAdmin` is read-only in the API, but it is who owns the incident in the console.
 */
export function mapIncident(record: ZwaIncident, source: string, linkTemplate?: string): Incident {
  const policies = record.matchingPolicies;
  const user = record.userInfo;
  return {
    source,
    id: record.internalId,
    severity: record.severityLevel,
    status: record.normalisedStatus,
    rawStatus: clipText(record.status, TEXT_LIMITS.rawStatus) ?? record.status,
    createdAt: new Date(record.createdMs),
    updatedAt: record.updatedMs === null ? null : new Date(record.updatedMs),
    policy: clipText(names(policies?.rules) ?? names(policies?.engines), TEXT_LIMITS.policy),
    actor: clipText(user?.email || user?.name || null, TEXT_LIMITS.actor),
    channel: clipText(record.sourceType ?? null, TEXT_LIMITS.channel),
    application: clipText(record.applicationInfo?.name ?? null, TEXT_LIMITS.application),
    fileName: clipText(record.contentInfo?.fileName ?? null, TEXT_LIMITS.fileName),
    matchCount: record.matchCount ?? null,
    assignee: clipText(record.assignedAdmin?.email || null, TEXT_LIMITS.assignee),
    link: idLink(linkTemplate, record.internalId),
  };
}
