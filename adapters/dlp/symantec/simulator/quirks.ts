import { describeQuirk } from '../../simulator-kit/id-quirks.js';
import { hashSeed } from '../../simulator-kit/prng.js';
import { shareWithinOne } from '../../simulator-kit/range-checks.js';

/** Misbehaviour knobs for robustness tests; each imitates a real class of vendor bug. */
export interface SymantecQuirks {
  /** Query responses are cut off mid-document (still 200, still `application/json`). */
  invalidJson?: boolean;
  /** This share (0..1) of query rows is broken in a field clients read, the same rows on every read. */
  malformedRecordShare?: number;
  /** `page.pageNumber` is ignored: every query returns its first page. */
  pageIgnored?: boolean;
  /** Query rows of the first open incidents carry these instead of their numeric ids (id tests; never looked up). */
  replaceIds?: readonly string[];
  /** The attributes of one incident answer with the next incident's instead: a lookup that names another id. */
  getAnswersAnother?: boolean;
  /** Updates are applied, then answered with a body cut off mid-document. */
  unreadableWriteAnswers?: boolean;
  /** Updates (only) are answered 500 without being applied, so a client's reads before them still work. */
  failedWrites?: boolean;
}

const MALFORM_SALT = 0xbad5;

type Breakage = (row: Record<string, unknown>) => void;

/** Each breaks a field the adapter reads; the last is a well-formed string naming a day that does not exist. */
const BREAKAGES: readonly Breakage[] = [
  (r) => {
    delete r.incidentId;
  },
  (r) => {
    r.severityId = 7;
  },
  (r) => {
    r.creationDate = 'yesterday';
  },
  (r) => {
    r.matchCount = -1;
  },
  (r) => {
    r.creationDate = '2026-02-31T10:00:00';
  },
];

export function isMalformed(seed: number, position: number, share: number): boolean {
  return share > 0 && hashSeed(seed, position, MALFORM_SALT) / 4294967296 < share;
}

export function malform(seed: number, position: number, row: Record<string, unknown>): Record<string, unknown> {
  const broken = { ...row };
  BREAKAGES[hashSeed(position, seed, MALFORM_SALT) % BREAKAGES.length]?.(broken);
  return broken;
}

export function truncateJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

export function validateQuirks(quirks: SymantecQuirks): void {
  shareWithinOne('quirks.malformedRecordShare', quirks.malformedRecordShare);
}

export function describeQuirks(quirks: SymantecQuirks): string[] {
  const on = Object.entries(quirks).filter(([, value]) => value !== undefined && value !== false && value !== 0);
  return on.length ? [`quirks: ${on.map(describeQuirk).join(', ')}`] : [];
}
