import { HOSTILE_STRINGS } from '../../simulator-kit/hostile.js';
import { createRng, hashSeed, type Rng } from '../../simulator-kit/prng.js';
import {
  ACCESS_POLICIES,
  ACTIVITIES,
  AUDIT_POLICIES,
  DLP_POLICIES,
  FILE_STEMS,
  FILE_TYPES,
  GROUPS,
  type GroupDef,
  MATCH_LOCATIONS,
  RESPONSES,
  SERVICES,
  SEVERITIES,
  SHADOW_SERVICES,
  type ShnSeverity,
  type ShnStatus,
  STATUSES,
} from './catalog.js';

/** An incident as queryIncidents returns it (reference §2.2 and §2.9), with synthetic values. */
export interface ShnIncidentRecord {
  incidentId: string;
  incidentGroup: string;
  incidentGroupId: number | null;
  incidentRiskScore: number;
  incidentRiskSeverity: ShnSeverity;
  incidentRiskSeverityId: number;
  status: ShnStatus;
  timeCreated: string;
  timeModified: string;
  significantlyUpdatedAt: string;
  actorId: string;
  actorIdType: 'USER';
  activityNames: string[];
  serviceNames: string[];
  instanceId: number;
  instanceName: string;
  responses: string[];
  information: Record<string, unknown>;
}

/** What the dataset's columns know; everything else is derived from `(seed, position)`. */
export interface CoreFields {
  createdMs: number;
  modifiedMs: number;
  /** The generated modification time: modifyIncidents does not move it (reference §4, "probably not"). */
  significantMs: number;
  status: number;
  severity: number;
  group: number;
}

const DETAIL_SALT = 0x5c1d;
const HOSTILE_SALT = 0x4057;
/** One record in twenty carries a hostile string in one of its free-text fields. */
const HOSTILE_EVERY = 20;
const ID_BASE = 10_001;
const ID_PATTERN = /^([A-Z]{3})-(\d{1,12})$/;

export const iso = (ms: number) => new Date(ms).toISOString();

export function incidentIdOf(position: number, group: number): string {
  return `${GROUPS[group]?.prefix ?? 'DLP'}-${ID_BASE + position}`;
}

/** The position an id names and the prefix it claims; the dataset checks the prefix against the record. */
export function parseIncidentId(id: string): { position: number; prefix: string } | undefined {
  const m = ID_PATTERN.exec(id);
  if (!m?.[1] || !m[2]) return undefined;
  const position = Number(m[2]) - ID_BASE;
  return position >= 0 ? { position, prefix: m[1] } : undefined;
}

export function prefixOf(group: number): string {
  return GROUPS[group]?.prefix ?? '';
}

export function buildIncident(seed: number, position: number, core: CoreFields): ShnIncidentRecord {
  const rng = createRng(hashSeed(seed, position, DETAIL_SALT));
  const def = GROUPS[core.group] as GroupDef;
  const severity = SEVERITIES[core.severity] ?? 'medium';
  const service = rng.pick(SERVICES);
  const shadow = def.kind === 'shadow';
  const record: ShnIncidentRecord = {
    incidentId: incidentIdOf(position, core.group),
    incidentGroup: def.group,
    incidentGroupId: def.groupId,
    incidentRiskScore: riskScore(core.severity, rng),
    incidentRiskSeverity: severity,
    incidentRiskSeverityId: core.severity,
    status: STATUSES[core.status] ?? 'new',
    timeCreated: iso(core.createdMs),
    timeModified: iso(core.modifiedMs),
    significantlyUpdatedAt: iso(core.significantMs),
    actorId: rng.chance(0.04) ? 'NOT AVAILABLE' : `user${String(rng.int(1, 400)).padStart(3, '0')}@example.com`,
    actorIdType: 'USER',
    activityNames: def.kind === 'audit' ? [] : [rng.pick(ACTIVITIES)],
    serviceNames: [shadow ? rng.pick(SHADOW_SERVICES) : service.name],
    instanceId: service.instanceId,
    instanceName: service.instance,
    responses: [rng.pick(RESPONSES[def.kind])],
    information: information(def, rng, core),
  };
  addHostile(seed, position, record);
  return record;
}

function riskScore(severity: number, rng: Rng): number {
  const [low, high] = severity === 2 ? [7, 10] : severity === 1 ? [4, 6.9] : [1, 3.9];
  return Math.round(rng.between(low, high) * 10) / 10;
}

function information(def: GroupDef, rng: Rng, core: CoreFields): Record<string, unknown> {
  const eventId = String(rng.int(10_000, 999_999));
  switch (def.kind) {
    case 'dlp':
    case 'epo': {
      const policy = rng.pick(DLP_POLICIES);
      const user = `user_${rng.int(1, 400)}_example_com`;
      const matches = 1 + Math.floor(rng.next() ** 4 * 250);
      const locations = MATCH_LOCATIONS.filter(() => rng.chance(0.5));
      return {
        policyId: policy.id,
        policyName: policy.name,
        contentItemId: `ci-${rng.int(100_000, 999_999)}`,
        contentItemName: `${rng.pick(FILE_STEMS)}-${rng.int(1, 999)}.${rng.pick(FILE_TYPES)}`,
        contentItemType: 'FILE',
        contentItemHierarchy: `/personal/${user}/Documents`,
        contentItemSize: rng.int(200, 50_000_000),
        contentItemCreatedOn: iso(core.createdMs - rng.int(1, 400) * 86_400_000),
        // A few records carry no match details at all, so "no snippets available" has real cases.
        ...(rng.chance(0.85)
          ? { totalMatchCount: matches, matchLocations: locations.length ? locations : ['Content'] }
          : {}),
        lastExecutedResponseLabel: rng.pick(RESPONSES[def.kind]),
        eventId,
        isTokenized: false,
        ...(def.kind === 'epo' ? { device: { ip: `192.0.2.${rng.int(1, 254)}`, device_type: 'Laptop' } } : {}),
      };
    }
    case 'access': {
      const policy = rng.pick(ACCESS_POLICIES);
      return {
        policyId: policy.id,
        policyName: policy.name,
        eventId,
        device: { ip: `198.51.100.${rng.int(1, 254)}`, device_type: 'Unmanaged' },
      };
    }
    case 'audit': {
      const policy = rng.pick(AUDIT_POLICIES);
      return {
        policyId: policy.id,
        policyName: policy.name,
        contentItemId: `sub-${rng.int(1000, 9999)}`,
        contentItemName: 'Microsoft Azure',
        contentItemType: 'SUBSCRIPTION',
        eventId,
      };
    }
    case 'malware':
      return {
        malwareName: `EICAR-Test-File-${rng.int(1, 9)}`,
        contentItemName: `${rng.pick(FILE_STEMS)}.zip`,
        contentItemType: 'FILE',
        eventId,
      };
    default:
      return {
        anomalyCategory: def.kind === 'threat' ? 'Compromised Accounts' : 'Access Anomalies',
        anomalyCause: 'CUSTOMER BLACKLIST',
        ...(def.kind === 'threat' ? { threatCategory: 'Compromised Accounts' } : {}),
        sourceIps: [`203.0.113.${rng.int(1, 254)}`, `198.51.100.${rng.int(1, 254)}`],
        countries: ['NO', 'JP'],
      };
  }
}

const HOSTILE_TARGETS = ['policyName', 'contentItemName', 'actorId', 'instanceName', 'serviceName'] as const;

/** Deterministic by position, so every hostile string shows up in a dataset of a few hundred records. */
function addHostile(seed: number, position: number, record: ShnIncidentRecord): void {
  const roll = hashSeed(seed, position, HOSTILE_SALT);
  if (roll % HOSTILE_EVERY !== 0) return;
  const text = HOSTILE_STRINGS[Math.floor(roll / HOSTILE_EVERY) % HOSTILE_STRINGS.length] as string;
  const target = HOSTILE_TARGETS[Math.floor(roll / 7919) % HOSTILE_TARGETS.length];
  if (target === 'actorId') record.actorId = text;
  else if (target === 'instanceName') record.instanceName = text;
  else if (target === 'serviceName') record.serviceNames = [text];
  else if (target && target in record.information) record.information[target] = text;
  else record.instanceName = text;
}
