import { describeQuirk } from '../../simulator-kit/id-quirks.js';
import { hashSeed } from '../../simulator-kit/prng.js';
import { shareWithinOne } from '../../simulator-kit/range-checks.js';
import type { ShnIncidentRecord } from './records.js';

/**
 * Knobs for the forms the reference leaves open (§2.11) and for the vendor bugs every client must survive.
 * The defaults are the documented behaviour.
 */
export interface SkyhighQuirks {
  /** Responses are the bare body, without the serialised `ResponseEntity` around it. */
  unwrapped?: boolean;
  /** Errors are answered HTTP 200; only the entity's `statusCodeValue` and `responseInfo.error` carry them. */
  errorsInBody?: boolean;
  /** A query matching nothing answers 404 "no data for criteria" (the swagger's code) instead of an empty 200. */
  notFoundWhenEmpty?: boolean;
  /** `information` is the swagger's `[{key, value}]` list instead of the map real responses carry. */
  informationAsList?: boolean;
  /**
   * Which WORKFLOW_STATUS spellings modifyIncidents accepts (unverified, §2.4): `any` (default: case-insensitive,
   * spaces and underscores alike), `upper` (`FALSE_POSITIVE`, as the vendor's examples) or `label` (`false positive`,
   * the read label XSOAR sends).
   */
  statusSpelling?: 'any' | 'upper' | 'label';
  /** This share (0..1) of served records is broken, the same records on every read. */
  malformedRecordShare?: number;
  /** Query responses are cut off mid-document (still 200, still JSON content type). */
  invalidJson?: boolean;
  /** `startTime` is ignored: every query starts at the oldest incident. */
  startTimeIgnored?: boolean;
  /** Served instead of the generated ids of the first open incidents, which are then found by them (id tests). */
  replaceIds?: readonly string[];
  /** modifyIncidents applies the change, then answers with a body cut off mid-document. */
  unreadableWriteAnswers?: boolean;
}

const MALFORM_SALT = 0xbad5;

type Breakage = (record: Record<string, unknown>) => void;

/** The last one breaks a field the adapter never reads, so the record stays a good incident. */
export const BREAKAGES: readonly Breakage[] = [
  (r) => {
    delete r.incidentId;
  },
  (r) => {
    r.incidentRiskSeverity = 'severe';
  },
  (r) => {
    r.timeCreated = 'yesterday';
  },
  (r) => {
    r.status = null;
  },
  (r) => {
    r.information = 'n/a';
  },
  (r) => {
    r.incidentRiskScore = 'high';
  },
];

export function isMalformed(seed: number, position: number, share: number): boolean {
  return share > 0 && hashSeed(seed, position, MALFORM_SALT) / 4294967296 < share;
}

export function breakageOf(seed: number, position: number): number {
  return hashSeed(position, seed, MALFORM_SALT) % BREAKAGES.length;
}

export function malform(seed: number, position: number, record: ShnIncidentRecord): Record<string, unknown> {
  const broken: Record<string, unknown> = { ...record };
  BREAKAGES[breakageOf(seed, position)]?.(broken);
  return broken;
}

export function informationAsList(record: ShnIncidentRecord): Record<string, unknown> {
  return { ...record, information: Object.entries(record.information).map(([key, value]) => ({ key, value })) };
}

export function validateQuirks(quirks: SkyhighQuirks): void {
  shareWithinOne('quirks.malformedRecordShare', quirks.malformedRecordShare);
  if (quirks.statusSpelling !== undefined && !['any', 'upper', 'label'].includes(quirks.statusSpelling)) {
    throw new RangeError('quirks.statusSpelling must be any, upper or label');
  }
}

export function describeQuirks(quirks: SkyhighQuirks): string[] {
  const on = Object.entries(quirks).filter(([, v]) => v !== undefined && v !== false && v !== 0 && v !== 'any');
  return on.length ? [`quirks: ${on.map(describeQuirk).join(', ')}`] : [];
}
