import {
  clipText,
  type Incident,
  type IncidentStatus,
  type Severity,
  TEXT_LIMITS,
} from '../../../src/domain/incident.js';
import { idLink } from '../../../src/http/url.js';
import type { PanListedIncident } from './schema.js';

const SEVERITY: Record<PanListedIncident['severity'], Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'info',
};

const STATUS: Record<PanListedIncident['status'], IncidentStatus> = {
  open: 'open',
  in_review: 'in_review',
  resolved: 'resolved',
  dismissed: 'dismissed',
};

/**
 * Allowlists the fields the bot may keep. Reviewer comments are deliberately NOT copied: analysts paste
 * matched content into them, and nothing that might be evidence is stored or posted.
 */
export function mapIncident(record: PanListedIncident, source: string, linkTemplate?: string): Incident {
  return {
    source,
    id: record.incident_id,
    severity: SEVERITY[record.severity],
    status: STATUS[record.status],
    rawStatus: record.status,
    createdAt: new Date(record.timestamp),
    updatedAt: record.reviewed_at ? new Date(record.reviewed_at) : null,
    policy: clipText(record.data_pattern_name, TEXT_LIMITS.policy),
    actor: clipText(record.user, TEXT_LIMITS.actor),
    channel: clipText(record.channel, TEXT_LIMITS.channel),
    application: clipText(record.application, TEXT_LIMITS.application),
    fileName: clipText(record.file_name, TEXT_LIMITS.fileName),
    matchCount: record.match_count ?? null,
    // The seed API has no assignee; reviewed_by is who last reviewed, which is not the same thing.
    assignee: null,
    link: idLink(linkTemplate, record.incident_id),
  };
}
