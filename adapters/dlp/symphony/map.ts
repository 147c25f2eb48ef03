import { clipText, type Incident, TEXT_LIMITS } from '../../../src/domain/incident.js';
import type { SymListedRecord } from './schema.js';
import { matchedPolicyNames, type SeverityRule } from './severity.js';

const APPLICATION: Readonly<Record<SymListedRecord['kind'], string>> = {
  message: 'Symphony message',
  stream: 'Symphony room',
  signal: 'Symphony signal',
};

/** How many matches the rules reported: one per text match, `count` per file-content match. */
function matchCount(record: SymListedRecord): number | null {
  let total = 0;
  let seen = false;
  for (const detail of record.item.violation.details ?? []) {
    for (const result of detail.policyResults ?? []) {
      for (const rule of result.ruleResults ?? []) {
        const found = rule.complianceDetail?.detail;
        if (found?.content?.matches) {
          seen = true;
          total += found.content.matches.length;
        }
        for (const m of found?.fileContent?.matches ?? []) {
          seen = true;
          total += m.count ?? 1;
        }
      }
    }
  }
  return seen ? total : null;
}

/** The attachment's name, when an attachment (its content, name or type) is what matched. */
function attachmentName(record: SymListedRecord): string | null {
  for (const detail of record.item.violation.details ?? []) {
    const name = detail.secureAttachmentMeta?.complianceMeta?.detail?.name;
    if (name) return name;
  }
  return null;
}

function actorOf(record: SymListedRecord): string | null {
  const { item } = record;
  const user = item.message?.user;
  const named = user?.email || user?.displayName || user?.username || item.stream?.creatorPrettyName;
  if (named) return named;
  const id = item.violation.requesterId;
  return id === null || id === undefined || id === '' ? null : `Symphony user ${id}`;
}

/**
 * Allowlists what the bot keeps. Every violation is an incident awaiting triage: Symphony has no status, so it is
 * always `new` here and only a false-positive mark recorded in this bot closes it. `rawStatus` keeps what Symphony
 * did (action and outcome). Message text, room and signal names are what DLP analysed (evidence) and stay out; the
 * stream type and the kind of violation are kept as the channel and application.
 */
export function mapViolation(record: SymListedRecord, source: string, severityOf: SeverityRule): Incident {
  const { violation } = record.item;
  const action = violation.action?.trim() || 'UNKNOWN';
  const outcome = violation.outcome?.type?.trim();
  const policies = matchedPolicyNames(violation);
  const streamType = record.item.message?.stream?.streamType ?? record.item.stream?.type ?? null;
  const modified = violation.lastModified ?? 0;
  return {
    source,
    id: violation.enforcementEventID,
    severity: severityOf(violation),
    status: 'new',
    rawStatus: clipText(outcome ? `${action} (${outcome})` : action, TEXT_LIMITS.rawStatus) ?? action,
    createdAt: new Date(violation.createTime),
    // lastModified is 0 in every sample: a violation does not change after it is recorded.
    updatedAt: new Date(modified > violation.createTime ? modified : violation.createTime),
    policy: clipText(policies.length ? policies.join(', ') : null, TEXT_LIMITS.policy),
    actor: clipText(actorOf(record), TEXT_LIMITS.actor),
    channel: clipText(streamType, TEXT_LIMITS.channel),
    application: APPLICATION[record.kind],
    fileName: clipText(attachmentName(record), TEXT_LIMITS.fileName),
    matchCount: matchCount(record),
    assignee: null,
    // Symphony's admin portal has no page per violation to link to.
    link: null,
  };
}
