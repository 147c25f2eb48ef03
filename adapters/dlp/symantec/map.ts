import { clipText, type Incident, type Severity, TEXT_LIMITS } from '../../../src/domain/incident.js';
import { idLink } from '../../../src/http/url.js';
import { defaultConsoleUrl, type SymantecConfig } from './config.js';
import { fromLocalDateTime } from './local-time.js';
import type { SymEditableAttributes, SymIncidentRow } from './schema.js';
import { normaliseStatus, type StatusCatalog } from './statuses.js';

/** Enforce severity ids, as XSOAR and Broadcom's SLA script both map them. Enforce has no "critical". */
const SEVERITY: Record<1 | 2 | 3 | 4, Severity> = { 1: 'high', 2: 'medium', 3: 'low', 4: 'info' };

/** The fields both a query row and the static + editable attributes of one incident carry. */
export type SymRecord = Pick<
  SymIncidentRow,
  | 'incidentId'
  | 'creationDate'
  | 'severityId'
  | 'incidentStatusId'
  | 'policyName'
  | 'messageSource'
  | 'messageType'
  | 'matchCount'
  | 'networkSenderIdentifier'
>;

export interface MapContext {
  source: string;
  catalog: StatusCatalog;
  config: Pick<
    SymantecConfig,
    'timeZone' | 'assignment' | 'falsePositiveStatus' | 'writeBack' | 'consoleUrl' | 'baseUrl'
  >;
}

export const mapSeverity = (record: Pick<SymRecord, 'severityId'>): Severity => SEVERITY[record.severityId];

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whoever the configured assignment field names; null in `none` mode or when the field is empty. */
export function assigneeOf(editable: SymEditableAttributes | null, config: MapContext['config']): string | null {
  if (!editable) return null;
  const { assignment } = config;
  let value: string | null | undefined;
  if (assignment.type === 'dataOwner') value = editable.infoMap.dataOwnerEmail || editable.infoMap.dataOwnerName;
  else if (assignment.type === 'customAttribute') {
    const attributes = (editable.customAttributeGroups ?? []).flatMap((g) => g.customAttributes ?? []);
    value = attributes.find((a) => sameName(a.name, assignment.name))?.value;
  }
  return clipText(value || null, TEXT_LIMITS.assignee);
}

export function consoleLink(config: MapContext['config'], id: string): string | null {
  return idLink(config.consoleUrl ?? defaultConsoleUrl(config.baseUrl), id);
}

/**
 * Allowlists what the bot may keep. Notes, message subjects, recipients and matched text are never copied: they
 * are evidence. Enforce's list API has no file name or modification time, so those stay null (also in `get`,
 * which must give the same incident the listing gave). Null when the creation date names no real time.
 */
export function mapIncident(
  record: SymRecord,
  editable: SymEditableAttributes | null,
  ctx: MapContext,
): Incident | null {
  const createdAt = fromLocalDateTime(record.creationDate, ctx.config.timeZone);
  if (!createdAt) return null;
  const id = String(record.incidentId);
  return {
    source: ctx.source,
    id,
    severity: mapSeverity(record),
    ...normaliseStatus(record.incidentStatusId, ctx.catalog, ctx.config),
    createdAt,
    updatedAt: null,
    policy: clipText(record.policyName, TEXT_LIMITS.policy),
    actor: clipText(record.networkSenderIdentifier, TEXT_LIMITS.actor),
    channel: clipText(record.messageSource, TEXT_LIMITS.channel),
    application: clipText(record.messageType, TEXT_LIMITS.application),
    fileName: null,
    matchCount: record.matchCount ?? null,
    assignee: assigneeOf(editable, ctx.config),
    link: consoleLink(ctx.config, id),
  };
}
