import {
  clipText,
  type Incident,
  type IncidentStatus,
  type Severity,
  TEXT_LIMITS,
} from '../../../../src/domain/incident.js';
import { idLink } from '../../../../src/http/url.js';
import type { SeverityRules } from '../config.js';
import { type PubIncidentDetail, parseCreationTime } from './schema.js';

/**
 * `resolution_status` is a free string (pan.dev's examples: New, open, under_investigation, Assigned, closed);
 * compared lowercased with spaces as underscores. An unknown value counts as open, so it stays in view.
 */
const RESOLUTION: Readonly<Record<string, IncidentStatus>> = {
  new: 'new',
  open: 'open',
  assigned: 'in_review',
  in_review: 'in_review',
  under_review: 'in_review',
  under_investigation: 'in_review',
  investigating: 'in_review',
  resolved: 'resolved',
  closed: 'resolved',
  false_positive: 'false_positive',
  dismissed: 'dismissed',
};

export const FALSE_POSITIVE_FEEDBACK = 'CONFIRMED_FALSE_POSITIVE';

export function statusOf(record: PubIncidentDetail): { status: IncidentStatus; rawStatus: string } {
  if (record.incident_feedback_status === FALSE_POSITIVE_FEEDBACK) {
    return { status: 'false_positive', rawStatus: FALSE_POSITIVE_FEEDBACK };
  }
  const raw = record.resolution_status?.trim() || 'New';
  return { status: RESOLUTION[raw.toLowerCase().replace(/[\s-]+/g, '_')] ?? 'open', rawStatus: raw };
}

export function severityOf(record: PubIncidentDetail, rules: SeverityRules): Severity {
  const byProfile = record.data_profile_name ? rules.byDataProfile[record.data_profile_name] : undefined;
  const byAction = rules.byAction[record.action as keyof SeverityRules['byAction']];
  return byProfile ?? byAction ?? rules.default;
}

/** Detections at any confidence: the low-confidence count includes the higher ones. */
function matchCount(record: PubIncidentDetail): number | null {
  const infos = Object.values(record.match_info ?? {});
  return infos.length ? infos.reduce((sum, info) => sum + (info.lcf ?? 0), 0) : null;
}

export interface MapContext {
  source: string;
  severity: SeverityRules;
  consoleUrl?: string | undefined;
  /** Assignee id → email, from the assignee directory; an unknown id is shown as itself. */
  assignees: ReadonlyMap<string, string>;
}

/**
 * Allowlists the fields the bot may keep. Incident notes are deliberately NOT copied (analysts paste matched
 * content into them), nor are `match_info` names beyond the count, nor anything from a report.
 */
export function mapPublishedIncident(record: PubIncidentDetail, ctx: MapContext): Incident {
  const { status, rawStatus } = statusOf(record);
  const assignee = record.assignee_id ? (ctx.assignees.get(record.assignee_id) ?? record.assignee_id) : null;
  return {
    source: ctx.source,
    id: record.incident_id,
    severity: severityOf(record, ctx.severity),
    status,
    rawStatus: clipText(rawStatus, TEXT_LIMITS.rawStatus) ?? 'New',
    createdAt: parseCreationTime(record.incident_creation_time) as Date,
    updatedAt: null,
    policy: clipText(record.data_profile_name, TEXT_LIMITS.policy),
    actor: clipText(record.user, TEXT_LIMITS.actor),
    channel: clipText(record.channel, TEXT_LIMITS.channel),
    application: clipText(record.app_name, TEXT_LIMITS.application),
    fileName: clipText(record.file_name, TEXT_LIMITS.fileName),
    matchCount: matchCount(record),
    assignee: clipText(assignee, TEXT_LIMITS.assignee),
    link: idLink(ctx.consoleUrl, record.incident_id),
  };
}
