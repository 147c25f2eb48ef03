import { HOSTILE_STRINGS } from '../../simulator-kit/hostile.js';
import { createRng, hashSeed, type Rng } from '../../simulator-kit/prng.js';
import {
  BUSINESS_UNITS,
  DETECTION_SERVERS,
  FILE_EXTENSIONS,
  FILE_STEMS,
  type MatchKind,
  MESSAGE_TYPES,
  POLICIES,
  type PolicyDef,
  SOURCES,
  SUBJECTS,
} from './catalog.js';

const DETAIL_SALT = 0x5e7a11;
const MATCH_SALT = 0x3a7c4e;
const HOSTILE_SHARE = 0.06;
const OWNER_SHARE = 0.3;

/** Everything about an incident that never changes, re-derived from `(seed, position)` whenever it is needed. */
export interface Facts {
  policy: PolicyDef;
  messageSource: string;
  messageType: string;
  messageTypeId: number;
  matchCount: number;
  detectionServerId: number;
  detectionServerName: string;
  /** Seconds the detection preceded the incident's creation. */
  detectionLagMs: number;
  networkSenderIdentifier: string | null;
  senderIPAddress: string | null;
  recipientIdentifier: string | null;
  messageSubject: string | null;
  attachmentName: string;
  preventOrProtectStatusId: number;
  /** The data owner the policy's response rule set at detection (a third of incidents). */
  dataOwnerName: string | null;
  dataOwnerEmail: string | null;
  /** Initial custom attribute values by column index. */
  custom: Record<number, string>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function deriveFacts(seed: number, position: number): Facts {
  const rng = createRng(hashSeed(seed, position, DETAIL_SALT));
  const policy = rng.pick(POLICIES);
  const messageSource = rng.weighted(SOURCES);
  const [messageType, messageTypeId] = rng.pick(MESSAGE_TYPES[messageSource] ?? []) as readonly [string, number];
  const [detectionServerId, detectionServerName] = DETECTION_SERVERS[messageSource] ?? [1, 'Network Prevent 01'];
  const user = rng.int(1, 400);
  const facts: Facts = {
    policy: { ...policy },
    messageSource,
    messageType,
    messageTypeId,
    matchCount: 1 + Math.floor(rng.next() ** 4 * 250),
    detectionServerId,
    detectionServerName,
    detectionLagMs: rng.int(0, 5_000),
    networkSenderIdentifier: senderOf(messageSource, user),
    senderIPAddress:
      messageSource === 'DISCOVER' ? null : `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    recipientIdentifier: messageSource === 'NETWORK' ? `partner${pad(rng.int(1, 50), 2)}@example.net` : null,
    messageSubject: messageSource === 'NETWORK' ? rng.pick(SUBJECTS) : null,
    attachmentName: `${rng.pick(FILE_STEMS)}-${rng.int(1, 999)}.${rng.pick(FILE_EXTENSIONS)}`,
    preventOrProtectStatusId: rng.pick([0, 0, 0, 1, 2, 4]),
    dataOwnerName: null,
    dataOwnerEmail: null,
    custom: {},
  };
  if (rng.chance(OWNER_SHARE)) {
    const owner = rng.int(1, 40);
    facts.dataOwnerName = `Owner ${pad(owner, 2)}`;
    facts.dataOwnerEmail = `owner${pad(owner, 2)}@example.com`;
  }
  if (rng.chance(0.2)) facts.custom[1] = `INC-${rng.int(1000, 9999)}`;
  if (rng.chance(0.5)) facts.custom[3] = rng.pick(BUSINESS_UNITS);
  if (rng.chance(HOSTILE_SHARE)) plantHostile(facts, rng);
  return facts;
}

function senderOf(source: string, user: number): string | null {
  if (source === 'NETWORK') return `user${pad(user, 3)}@example.com`;
  if (source === 'ENDPOINT') return `EXAMPLE\\user${pad(user, 3)}`;
  return null;
}

/** Vendor-controlled text a renderer must escape: in a policy name, a sender, a data owner or a file name. */
function plantHostile(facts: Facts, rng: Rng): void {
  const value = rng.pick(HOSTILE_STRINGS);
  switch (rng.int(0, 3)) {
    case 0:
      facts.policy.name = value;
      break;
    case 1:
      facts.networkSenderIdentifier = value;
      break;
    case 2:
      facts.dataOwnerName = value;
      facts.dataOwnerEmail = null;
      break;
    default:
      facts.attachmentName = value;
  }
}

export interface Segment {
  segmentType: 'TEXT' | 'VIOLATING_CONTENT';
  text: string;
  ruleName?: string;
}

/**
 * Synthetic `components/matches`: one component (the attachment, or the body for web posts) with one to three
 * violations. Values are published test values (4111… cards, 000-area SSNs), never realistic data; Enforce would
 * return real matched text, which the adapter masks.
 */
export function buildMatches(seed: number, position: number, facts: Facts) {
  const rng = createRng(hashSeed(seed, position, MATCH_SALT));
  const count = Math.min(facts.matchCount, rng.int(1, 3));
  const rule = `${facts.policy.name} rule`;
  const violations = Array.from({ length: count }, () => ({
    ruleName: rule,
    violationSegments: [
      { segmentType: 'TEXT', text: rng.pick(['value: ', 'row 12: ', 'see ']) },
      { segmentType: 'VIOLATING_CONTENT', text: sample(facts.policy.kind, rng), ruleName: rule },
      { segmentType: 'TEXT', text: rng.pick([' (end)', ', ok', '']) },
    ] satisfies Segment[],
  }));
  return [
    {
      messageComponentId: position * 10 + 1,
      messageComponentName: facts.attachmentName,
      messageComponentType: 'Attachment',
      violations,
    },
  ];
}

function sample(kind: MatchKind, rng: Rng): string {
  switch (kind) {
    case 'card':
      return rng.pick(['4111 1111 1111 1111', '4242 4242 4242 4242', '5555 5555 5555 4444']);
    case 'ssn':
      return `000-${pad(rng.int(10, 99), 2)}-${pad(rng.int(1000, 9999), 4)}`;
    case 'source':
      return `AKIA0000EXAMPLE${pad(rng.int(0, 9999), 4)}`;
    case 'iban':
      return `XX00 0000 0000 0000 ${pad(rng.int(0, 9999), 4)}`;
    case 'label':
      return 'CONFIDENTIAL - EXAMPLE CORP INTERNAL';
  }
}
