import { HOSTILE_STRINGS } from '../../../simulator-kit/hostile.js';
import { hashSeed } from '../../../simulator-kit/prng.js';
import type { PaloAltoDataset } from '../../dataset.js';
import { type PanStatus, STATUSES } from '../catalog.js';
import { TENANT_ID } from './ids.js';

export const FEEDBACK_TYPES = [
  'PENDING_RESPONSE',
  'CONFIRMED_SENSITIVE',
  'CONFIRMED_FALSE_POSITIVE',
  'EXCEPTION_REQUESTED',
  'EXCEPTION_GRANTED',
  'EXCEPTION_NOT_REQUESTED',
  'OPERATIONAL_ERROR',
  'SEND_NOTIFICATION_FAILURE',
  'EXCEPTION_DENIED',
] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

export interface Assignee {
  id: string;
  emailAddress: string;
  firstName: string;
  lastName: string;
  status: 'ACTIVE' | 'INACTIVE';
  tenantId: string;
  createdAt: string;
}

const ASSIGNEE_SALT = 0xa551;
const uuidOf = (seed: number, n: number) => {
  const h = (k: number) => hashSeed(seed, n, ASSIGNEE_SALT, k).toString(16).padStart(8, '0');
  return `${h(1)}-${h(2).slice(0, 4)}-4${h(3).slice(0, 3)}-b${h(4).slice(0, 3)}-${h(5)}${h(6).slice(0, 4)}`;
};

/** The tenant's assignee list: the analysts the seed dataset's reviews name, plus one who has left. */
export function seedAssignees(seed: number): Assignee[] {
  const people: Assignee[] = Array.from({ length: 12 }, (_, i) => {
    const nn = String(i + 1).padStart(2, '0');
    return {
      id: uuidOf(seed, i),
      emailAddress: `analyst${nn}@example.com`,
      firstName: 'Analyst',
      // Display names are vendor-controlled text like any other.
      lastName: i === 6 ? (HOSTILE_STRINGS[0] as string) : nn,
      status: 'ACTIVE',
      tenantId: TENANT_ID,
      createdAt: '2026-Jan-05 09:00:00 UTC',
    };
  });
  people.push({
    ...(people[0] as Assignee),
    id: uuidOf(seed, 99),
    emailAddress: 'former.analyst@example.com',
    status: 'INACTIVE',
  });
  return people;
}

/** `resolution_status` as the published API spells the seed statuses; open incidents carry none (null is omitted). */
const RESOLUTION_OF: Readonly<Record<PanStatus, string | undefined>> = {
  open: undefined,
  in_review: 'under_investigation',
  resolved: 'resolved',
  dismissed: 'closed',
};
/** The other way, for `PUT …/resolution-status`; a string not listed is stored as given and changes nothing else. */
const STATUS_OF: Readonly<Record<string, PanStatus>> = {
  new: 'open',
  open: 'open',
  assigned: 'in_review',
  under_investigation: 'in_review',
  resolved: 'resolved',
  closed: 'dismissed',
  false_positive: 'dismissed',
};

/**
 * What only the published API records (assignee, feedback, a free-text resolution) kept beside the shared
 * dataset. Status and notes live in the dataset itself, so a change through either API shows in both.
 */
export function createPublishedState(dataset: PaloAltoDataset, assignees: readonly Assignee[]) {
  const assigned = new Map<number, string>();
  const feedback = new Map<number, FeedbackType>();
  const resolution = new Map<number, { text: string; status: number }>();
  const byEmail = new Map(assignees.map((a) => [a.emailAddress, a.id]));

  return {
    assignees,
    isAssignee: (id: string) => assignees.some((a) => a.id === id),
    /** Set by this API, else the reviewer of an already-reviewed record. */
    assigneeOf(position: number, reviewedBy: string | undefined): string | undefined {
      return assigned.get(position) ?? (reviewedBy ? byEmail.get(reviewedBy) : undefined);
    },
    assign(position: number, assigneeId: string) {
      assigned.set(position, assigneeId);
    },
    feedbackOf: (position: number) => feedback.get(position),
    setFeedback(position: number, type: FeedbackType, nowMs: number) {
      feedback.set(position, type);
      if (type === 'CONFIRMED_FALSE_POSITIVE') dataset.update(position, { status: 'dismissed' }, nowMs);
    },
    /** A stored string holds only while the shared status is still the one it set (the seed API may change it). */
    resolutionOf(position: number): string | undefined {
      const status = dataset.statusAt(position);
      const stored = resolution.get(position);
      if (stored && stored.status === status) return stored.text;
      return RESOLUTION_OF[STATUSES[status] ?? 'open'];
    },
    setResolution(position: number, text: string, nowMs: number) {
      const mapped =
        STATUS_OF[
          text
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_')
        ];
      if (mapped) dataset.update(position, { status: mapped }, nowMs);
      resolution.set(position, { text, status: dataset.statusAt(position) });
    },
  };
}
export type PublishedState = ReturnType<typeof createPublishedState>;
