import { HOSTILE_STRINGS } from '../../simulator-kit/hostile.js';
import { createRng, hashSeed, type Rng } from '../../simulator-kit/prng.js';
import { floorToSecond, isoSeconds } from '../../simulator-kit/time.js';
import {
  ACTIONS,
  APPLICATIONS,
  CHANNELS,
  type ContentSnippet,
  DATA_PATTERNS,
  type DataPatternDef,
  DIRECTIONS,
  type DLPIncident,
  FILE_KINDS,
  FILE_STEMS,
  OPEN,
  REVIEW_COMMENTS,
  SEVERITIES,
  type SnippetKind,
  STATUSES,
} from './catalog.js';

const DETAIL_SALT = 0xd37a11;
const SNIPPET_SALT = 0x5a1935;
const HOSTILE_SHARE = 0.05;
/** Seven digits keep string order equal to numeric order for up to ~9 million records. */
const ID_BASE = 1_000_000;

export function incidentIdOf(position: number): string {
  return String(ID_BASE + position);
}

export function positionOfId(id: string): number | undefined {
  return /^\d{7}$/.test(id) ? Number(id) - ID_BASE : undefined;
}

/** What the dataset's columns know about a record; everything else is derived from `(seed, position)`. */
export interface CoreFields {
  timestampMs: number;
  severity: number;
  status: number;
  /** The status the record was generated with; decides whether it carries review fields. */
  generatedStatus: number;
  anchorMs: number;
}

export function buildIncident(seed: number, position: number, core: CoreFields): DLPIncident {
  const rng = createRng(hashSeed(seed, position, DETAIL_SALT));
  const pattern = rng.pick(DATA_PATTERNS);
  const channel = rng.pick(CHANNELS);
  const [extension, mime] = rng.pick(FILE_KINDS) as readonly [string, string];
  const incident: DLPIncident = {
    incident_id: incidentIdOf(position),
    status: STATUSES[core.status] ?? 'open',
    severity: SEVERITIES[core.severity] ?? 'medium',
    data_pattern_name: pattern.name,
    data_pattern_id: pattern.id,
    // Most incidents have a handful of matches; a long tail has hundreds.
    match_count: 1 + Math.floor(rng.next() ** 4 * 250),
    channel,
    user: `user${String(rng.int(1, 400)).padStart(3, '0')}@example.com`,
    timestamp: isoSeconds(core.timestampMs),
    application: rng.pick(APPLICATIONS[channel]),
    file_name: `${rng.pick(FILE_STEMS)}-${rng.int(1, 999)}.${extension}`,
    file_type: mime,
    file_size: rng.int(200, 50_000_000),
    direction: rng.pick(DIRECTIONS),
    action_taken: rng.pick(ACTIONS),
  };
  if (rng.chance(HOSTILE_SHARE)) {
    incident[rng.pick(['file_name', 'data_pattern_name', 'user'] as const)] = rng.pick(HOSTILE_STRINGS);
  }
  if (core.generatedStatus !== OPEN) addReview(incident, rng, core);
  return incident;
}

function addReview(incident: DLPIncident, rng: Rng, core: CoreFields): void {
  if (rng.chance(0.7)) incident.reviewer_comments = rng.pick(REVIEW_COMMENTS);
  incident.reviewed_by = `analyst${String(rng.int(1, 12)).padStart(2, '0')}@example.com`;
  const reviewedMs = core.timestampMs + rng.next() * Math.max(0, core.anchorMs - core.timestampMs);
  incident.reviewed_at = isoSeconds(Math.max(core.timestampMs, floorToSecond(reviewedMs)));
}

/** One to three masked snippets per incident, stable across calls and restarts for the same seed. */
export function buildSnippets(seed: number, position: number, incident: DLPIncident): ContentSnippet[] {
  const pattern = DATA_PATTERNS.find((p) => p.id === incident.data_pattern_id) ?? (DATA_PATTERNS[0] as DataPatternDef);
  const rng = createRng(hashSeed(seed, position, SNIPPET_SALT));
  const count = Math.min(incident.match_count, rng.int(1, 3));
  const snippets: ContentSnippet[] = [];
  let at = rng.int(0, 2_000);
  for (let i = 0; i < count; i += 1) {
    snippets.push({
      pattern_id: incident.data_pattern_id,
      pattern_name: incident.data_pattern_name,
      snippet: maskedText(pattern.kind, rng),
      position: at,
      masked: true,
    });
    at += rng.int(40, 5_000);
  }
  return snippets;
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

function maskedText(kind: SnippetKind, rng: Rng): string {
  switch (kind) {
    case 'card':
      return `card ****-****-****-${rng.pick(['4242', '1111', '0005', '4444'])} in row ${rng.int(2, 900)}`;
    case 'ssn':
      return `tax id ***-**-${rng.pick(['0001', '0002', '0003'])} in column ssn`;
    case 'code':
      return `const apiKey = "****************${digits(rng, 4)}"; // line ${rng.int(1, 400)}`;
    case 'mrn':
      return `MRN ******${digits(rng, 2)} on page ${rng.int(1, 40)}`;
    case 'bank':
      return `account ********${digits(rng, 2)} routing *******${digits(rng, 2)}`;
    case 'iban':
      return `IBAN XX** **** **** **** **${digits(rng, 2)}`;
    case 'label':
      return `header "CONFIDENTIAL - ********" on page ${rng.int(1, 40)}`;
    case 'passport':
      return `passport no. ******${digits(rng, 2)} in scan ${rng.int(1, 20)}`;
    case 'emails':
      return `${rng.int(50, 5_000)} addresses like ****${digits(rng, 2)}@example.com`;
  }
}
