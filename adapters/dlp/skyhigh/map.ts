import { CLOSED_STATUSES, clipText, type Incident, TEXT_LIMITS } from '../../../src/domain/incident.js';
import { idLink } from '../../../src/http/url.js';
import { normaliseLabel, type ShnIncident, STATUS_MAP } from './schema.js';

/** Skyhigh writes this (and `N/A`) when it has no actor; neither is a person to show. */
const NO_ACTOR = new Set(['not available', 'n/a', 'na', '']);

const infoText = (record: ShnIncident, key: string): string | null => {
  const value = record.info[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
};

const matchCount = (record: ShnIncident): number | null => {
  const value = record.info.totalMatchCount;
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

export const isOpen = (record: ShnIncident) =>
  !CLOSED_STATUSES.has(STATUS_MAP[normaliseLabel(record.status)] ?? 'open');

/**
 * Allowlists the fields the bot may keep. createdAt is `timeCreated`; `timeModified` is the paging cursor and the
 * last change, so it is `updatedAt`. The policy and the file come from the `information` map (policyName lives there,
 * not at the top level); the rest of that map (folder paths, match locations, devices, IPs) is evidence and stays out.
 */
export function mapIncident(record: ShnIncident, source: string, linkTemplate?: string): Incident {
  const actor = record.actorId && !NO_ACTOR.has(record.actorId.trim().toLowerCase()) ? record.actorId : null;
  const services = record.serviceNames?.filter((s) => s.trim() !== '') ?? [];
  return {
    source,
    id: record.incidentId,
    severity: record.severity,
    status: STATUS_MAP[normaliseLabel(record.status)] ?? 'open',
    rawStatus: clipText(record.status, TEXT_LIMITS.rawStatus) ?? record.status,
    createdAt: new Date(record.createdMs),
    updatedAt: new Date(record.modifiedMs),
    policy: clipText(infoText(record, 'policyName'), TEXT_LIMITS.policy),
    actor: clipText(actor, TEXT_LIMITS.actor),
    // The connected instance of the service ("Corp O365") is the nearest thing Skyhigh has to a channel.
    channel: clipText(record.instanceName, TEXT_LIMITS.channel),
    application: clipText(services.length ? services.join(', ') : null, TEXT_LIMITS.application),
    fileName: clipText(infoText(record, 'contentItemName'), TEXT_LIMITS.fileName),
    matchCount: matchCount(record),
    // The public API has no owner field (the console's "Change Owner" is not exposed).
    assignee: null,
    link: idLink(linkTemplate, record.incidentId),
  };
}
