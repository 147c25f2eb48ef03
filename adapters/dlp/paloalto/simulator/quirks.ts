import { describeQuirk } from '../../simulator-kit/id-quirks.js';
import { hashSeed } from '../../simulator-kit/prng.js';
import { shareWithinOne } from '../../simulator-kit/range-checks.js';
import type { DLPIncident } from './catalog.js';

/** Misbehaviour knobs for robustness tests; each one imitates a real class of vendor bug. */
export interface PaloAltoQuirks {
  /** List responses are cut off mid-document (still 200, still `application/json`). */
  invalidJson?: boolean;
  /** This share (0..1) of records in list pages is broken, the same records on every read. */
  malformedRecordShare?: number;
  /** `total` is reported this much larger than the real count, so a client trusting it pages forever. */
  inflateTotal?: number;
  /** Every page also starts with the last 10 records of the previous page. */
  repeatRecords?: boolean;
  /** `offset` is ignored (but echoed back): every request returns the first page. */
  offsetIgnored?: boolean;
  /** Served instead of the generated ids of the first open records, which are then found by them (id tests). */
  replaceIds?: readonly string[];
  /** A read of one incident answers with the next record instead: a lookup that names another id. */
  getAnswersAnother?: boolean;
  /** Writes are applied, then answered with a body that fails the API's schema (cut-off JSON). */
  unreadableWriteAnswers?: boolean;
}

const MALFORM_SALT = 0xbad;
export const REPEATED_RECORDS = 10;

type Breakage = (record: Record<string, unknown>) => void;

/**
 * The first and fourth are valid against the seed spec (it declares no `required` fields and no
 * minimum) yet meaningless to a client; the rest fail the spec's own schema.
 */
const BREAKAGES: readonly Breakage[] = [
  (r) => {
    delete r.incident_id;
  },
  (r) => {
    r.severity = 'severe';
  },
  (r) => {
    r.timestamp = 'yesterday';
  },
  (r) => {
    r.match_count = -1;
  },
  (r) => {
    r.file_size = '12 KB';
  },
  (r) => {
    r.status = null;
  },
];

export function isMalformed(seed: number, position: number, share: number): boolean {
  return share > 0 && hashSeed(seed, position, MALFORM_SALT) / 4294967296 < share;
}

export function malform(seed: number, position: number, record: DLPIncident): Record<string, unknown> {
  const broken: Record<string, unknown> = { ...record };
  const pick = hashSeed(position, seed, MALFORM_SALT) % BREAKAGES.length;
  BREAKAGES[pick]?.(broken);
  return broken;
}

/** Cuts a JSON document roughly in half, leaving it unparseable. */
export function truncateJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

export function validateQuirks(quirks: PaloAltoQuirks): void {
  shareWithinOne('quirks.malformedRecordShare', quirks.malformedRecordShare);
  const inflate = quirks.inflateTotal;
  if (inflate !== undefined && !(Number.isInteger(inflate) && inflate >= 0)) {
    throw new RangeError('quirks.inflateTotal must be a non-negative integer');
  }
}

export function describeQuirks(quirks: PaloAltoQuirks): string[] {
  const on = Object.entries(quirks).filter(([, value]) => value !== undefined && value !== false && value !== 0);
  return on.length ? [`quirks: ${on.map(describeQuirk).join(', ')}`] : [];
}
