import { HOSTILE_STRINGS } from '../../simulator-kit/hostile.js';
import { createRng, hashSeed, type Rng } from '../../simulator-kit/prng.js';
import type { ViolationKind } from '../schema.js';

/** The numbers a violation is re-derived from; everything else comes from `(seed, position)`. */
export interface CoreFields {
  position: number;
  kind: ViolationKind;
  createMs: number;
  action: Action;
  id: string;
}

export const ACTIONS = ['BLOCK', 'WARN', 'LOG_ONLY'] as const;
export type Action = (typeof ACTIONS)[number];

/** The seed names log-only but no API spelling is published; `LOG_ONLY` is this simulator's guess. */
export const ACTION_WEIGHTS: readonly (readonly [Action, number])[] = [
  ['BLOCK', 5],
  ['WARN', 4],
  ['LOG_ONLY', 2],
];
export const KIND_WEIGHTS: readonly (readonly [ViolationKind, number])[] = [
  ['message', 7],
  ['stream', 2],
  ['signal', 1],
];

const POLICIES = [
  'Restricted terms',
  'Client identifiers',
  'Project codenames',
  'Account numbers',
  'Executable attachments',
] as const;
/** Synthetic terms only; nothing here resembles a real person's data. */
const TERMS = ['dlp_test', 'PROJECT-NIGHTJAR', 'CONFIDENTIAL-SYNTH-0001', 'acct 0000-1111-2222-3333', 'codename lark'];
const FIRST = ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal'];
const LAST = ['Sample', 'Tester', 'Example', 'Synthetic'];
const HOSTILE_SHARE = 0.08;
const ATTACHMENT_SHARE = 0.2;
export const SALT = 0x5e4b;

const hostileOr = (rng: Rng, value: string) => (rng.chance(HOSTILE_SHARE) ? rng.pick(HOSTILE_STRINGS) : value);

/** `MESSAGE-<url-unsafe base64 id>-<createTime>` as in Symphony's samples; STREAM-/SIGNAL- follow the same form. */
export function eventId(seed: number, position: number, kind: ViolationKind, createMs: number): string {
  const rng = createRng(hashSeed(seed, position, SALT + 1));
  const bytes = Buffer.from(Array.from({ length: 18 }, () => rng.int(0, 255)));
  return `${kind.toUpperCase()}-${bytes.toString('base64')}-${createMs}`;
}

function details(rng: Rng, core: CoreFields, policy: string, term: string, attachment: string | null) {
  const status = core.action === 'LOG_ONLY' ? 'OK' : core.action;
  const ruleResult = (detail: Record<string, unknown>) => ({
    ruleInstanceId: `rule-${rng.int(1000, 9999)}`,
    type: 'EXPLICIT',
    complianceDetail: { detail },
  });
  const text = {
    status,
    correlationId: 'TEXT',
    policyResults: [
      {
        status,
        matchedPolicy: { id: `policy-${POLICIES.indexOf(policy as never) + 1}`, version: '1.0', name: policy },
        ruleResults: [
          ruleResult({
            ruleDescriptor: { ruleType: 'TEXT_MATCH', ruleName: '', ruleDescription: 'Rule text match matched' },
            content: {
              dictionary: { id: 'dictionary-1', version: '1.0' },
              matches: [{ offsetStart: 0, offsetEnd: term.length, match: term, matchPattern: '' }],
            },
          }),
        ],
      },
    ],
  };
  if (!attachment) return [text, { status: 'OK', correlationId: 'ENCRYPTED_MEDIA', attributeType: 'MEDIA' }];
  const fileId = `file-${rng.int(100000, 999999)}`;
  return [
    text,
    {
      status,
      correlationId: `ATTACHMENT_${fileId}`,
      attributeType: 'ATTACHMENT',
      secureAttachmentMeta: {
        complianceMeta: {
          detail: { name: attachment, sizeInBytes: rng.int(1_000, 900_000), contentType: 'text/plain', fileId },
        },
      },
      policyResults: [
        {
          status,
          matchedPolicy: { id: 'policy-9', version: '1.0', name: policy },
          ruleResults: [
            ruleResult({
              ruleDescriptor: { ruleType: 'TEXT_MATCH', ruleName: '', ruleDescription: 'File content matched' },
              fileContent: {
                dictionary: { id: 'dictionary-1', version: '1.0' },
                matches: [{ match: term, matchPattern: '', count: rng.int(1, 4) }],
              },
            }),
          ],
        },
      ],
    },
  ];
}

/** One list item, `{violation, message|stream|signal}`, as the agent serves it. */
export function buildItem(seed: number, core: CoreFields): Record<string, unknown> {
  const rng = createRng(hashSeed(seed, core.position, SALT + 2));
  const policy = hostileOr(rng, rng.pick(POLICIES));
  const term = rng.pick(TERMS);
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const userNumber = rng.int(1, 40);
  const userId = 7_696_581_540_000 + userNumber;
  const attachment =
    core.kind === 'message' && rng.chance(ATTACHMENT_SHARE) ? hostileOr(rng, `notes-${userNumber}.txt`) : null;
  const entityId = core.id.split('-').slice(1, -1).join('-').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const violation = {
    enforcementEventID: core.id,
    entityID: entityId,
    createTime: core.createMs,
    lastModified: 0,
    requesterId: userId,
    details: details(rng, core, policy, term, attachment),
    action: core.action,
    outcome: { type: core.action === 'BLOCK' ? 'REJECTED_VIOLATION' : 'ACCEPTED_VIOLATION' },
    version: 'V3',
    ignoreDLPwarning: core.action === 'WARN' && rng.chance(0.5),
  };
  const streamId = `stream-${rng.int(1, 12)}`;
  if (core.kind === 'stream') {
    return {
      violation,
      stream: {
        streamId,
        name: `Deal room ${term}`,
        roomDescription: hostileOr(rng, 'Synthetic room for the simulator'),
        creatorId: userId,
        creatorPrettyName: hostileOr(rng, `${first} ${last}`),
        type: 'ROOM',
        state: 'ACTIVE',
        publicRoom: false,
        crossPod: rng.chance(0.2),
        active: true,
      },
    };
  }
  if (core.kind === 'signal') {
    return { violation, signal: { id: `signal-${rng.int(1, 50)}`, name: `Signal ${term}`, rules: '{}' } };
  }
  return {
    violation,
    message: {
      messageId: entityId,
      timestamp: core.createMs - rng.int(10, 200),
      message: `<div data-format="PresentationML" data-version="2.0">please check ${term}</div>`,
      data: '{}',
      ...(attachment ? { attachments: [{ id: 'attachment', name: attachment, size: 1234, images: [] }] } : {}),
      user: {
        userId,
        firstName: first,
        lastName: last,
        displayName: hostileOr(rng, `${first} ${last}`),
        email: `user${String(userNumber).padStart(2, '0')}@example.com`,
        username: `user${userNumber}`,
      },
      stream: { streamId, streamType: rng.pick(['ROOM', 'IM', 'POST']) },
      externalRecipients: false,
      originalFormat: 'com.symphony.messageml.v2',
    },
  };
}
