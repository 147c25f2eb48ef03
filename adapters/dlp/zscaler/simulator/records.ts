import { HOSTILE_STRINGS } from '../../simulator-kit/hostile.js';
import { createRng, hashSeed } from '../../simulator-kit/prng.js';
import {
  APPLICATIONS,
  DEPARTMENTS,
  FILE_STEMS,
  FILE_TYPES,
  POLICIES,
  PRIORITIES,
  SEVERITIES,
  SOURCE_TYPES,
  type ZwaStatus,
} from './catalog.js';

/** What the API can change about an incident; everything else is derived from `(seed, position)`. */
export interface Row {
  createdMs: number;
  updatedMs: number;
  severity: number;
  status: ZwaStatus;
  resolution: string | null;
  notes: { body: string; createdMs: number }[];
  labels: { key: string; value: string }[];
}

/** An incident as `GET /dlp/v1/incidents/{id}` and search return it (reference §1.5, §1.9). */
export type ZwaIncidentRecord = Record<string, unknown> & { internalId: string; status: ZwaStatus };

const RECORD_SALT = 0x2a7c;
const ADMIN = 'secops-lead@example.com';
const HOSTILE_SHARE = 0.08;
const iso = (ms: number) => new Date(ms).toISOString();

/** `1-143-16786974353299200003`: a tenant-ish prefix, then a transaction id that encodes the position. */
export function internalIdOf(position: number): string {
  return `1-143-${String(16_786_974_353_000_000_000n + BigInt(position))}`;
}

export function positionOfId(id: string): number | undefined {
  const m = /^1-143-(\d{20})$/.exec(id);
  if (!m?.[1]) return undefined;
  const position = BigInt(m[1]) - 16_786_974_353_000_000_000n;
  return position >= 0n && position < BigInt(Number.MAX_SAFE_INTEGER) ? Number(position) : undefined;
}

/** Free text is sometimes hostile: every renderer must cope with vendor-controlled strings. */
function text(rng: ReturnType<typeof createRng>, plain: string): string {
  return rng.chance(HOSTILE_SHARE) ? `${plain} ${rng.pick(HOSTILE_STRINGS)}` : plain;
}

export function buildRecord(seed: number, position: number, row: Row): ZwaIncidentRecord {
  const rng = createRng(hashSeed(seed, position, RECORD_SALT));
  const internalId = internalIdOf(position);
  const transactionId = internalId.slice('1-143-'.length);
  const policy = rng.pick(POLICIES);
  const app = rng.pick(APPLICATIONS);
  const user = `user${String(rng.int(1, 400)).padStart(3, '0')}@example.com`;
  const matchCount = rng.int(1, 40);
  return {
    internalId,
    integrationType: 'ZscalerDLP',
    transactionId,
    sourceType: rng.pick(SOURCE_TYPES),
    sourceSubType: null,
    sourceActions: ['Block'],
    severity: SEVERITIES[row.severity] ?? 'MEDIUM',
    priority: rng.pick(PRIORITIES),
    matchingPolicies: {
      engines: [{ name: policy.engine, rule: `((${policy.dictionary}) > 0)` }],
      rules: [{ name: text(rng, policy.rule) }],
      dictionaries: [{ name: policy.dictionary, matchCount, nameMatchCount: `${policy.dictionary}[${matchCount}]` }],
    },
    matchCount,
    createdAt: iso(row.createdMs),
    lastUpdatedAt: iso(row.updatedMs),
    sourceFirstObservedAt: iso(row.createdMs - 11_000),
    sourceLastObservedAt: iso(row.createdMs - 11_000),
    userInfo: {
      name: text(rng, user),
      email: user,
      clientIP: `192.0.2.${rng.int(1, 254)}`,
      userId: rng.int(10_000, 99_999),
      department: rng.pick(DEPARTMENTS),
      homeCountry: 'US',
      managerInfo: { id: rng.int(10_000, 99_999), name: 'manager@example.com', email: 'manager@example.com' },
    },
    applicationInfo: { url: null, category: app.category, name: text(rng, app.name), hostnameOrApplication: app.name },
    contentInfo: {
      fileName: text(rng, `${rng.pick(FILE_STEMS)}-${position}.${rng.pick(FILE_TYPES)}`),
      fileType: 'docx',
      additionalInfo: { dlpMD5: transactionId.padStart(32, '0'), fileId: transactionId },
    },
    networkInfo: null,
    // Evidence lives behind links like this one; the adapter must never copy it anywhere.
    metadataFileUrl: `https://zwa-sim-evidence.example.invalid/${transactionId}.json`,
    status: row.status,
    resolution: row.resolution,
    // Someone took the incidents under investigation ("Assign to Me" in the portal); new ones have no admin yet.
    assignedAdmin: row.status === 'INVESTIGATING' || row.status === 'ESCALATED' ? { email: ADMIN } : null,
    lastNotifiedUser: { role: 'END_USER', email: user },
    notes: row.notes.map((n) => ({
      body: n.body,
      createdAt: iso(n.createdMs),
      lastUpdatedAt: iso(n.createdMs),
      createdBy: 0,
      lastUpdatedBy: 0,
    })),
    closedCode: row.status === 'RESOLVED' ? (row.resolution ?? 'RESOLVED') : null,
    incidentGroupIds: [1_678_674_399_200_900],
    incidentGroups: [{ id: 1_678_674_399_200_900, name: policy.engine, description: `${policy.engine} incidents` }],
    dlpIncidentTickets: [],
    labels: row.labels,
  };
}

/**
 * `GET /{id}/triggers`: the dictionary that matched and synthetic "matched" text (all-zero card numbers and
 * out-of-range ids, never anything that could be real), which the adapter must mask.
 */
export function buildTriggers(seed: number, position: number): Record<string, string> {
  const dictionary = POLICIES[position % POLICIES.length]?.dictionary ?? 'Dictionary';
  const digits = String(hashSeed(seed, position)).padStart(10, '0').slice(0, 4);
  return {
    [dictionary]: `0000 0000 0000 ${digits}`,
    'Owner email': `user${String(position % 400).padStart(3, '0')}@example.com`,
  };
}
