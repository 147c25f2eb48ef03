import { HOSTILE_STRINGS } from '../../../simulator-kit/hostile.js';
import { createRng, hashSeed, type Rng } from '../../../simulator-kit/prng.js';
import type { PaloAltoDataset } from '../../dataset.js';
import { DATA_PATTERNS, type DLPIncident, type SnippetKind } from '../catalog.js';
import {
  creationTime,
  detectionTime,
  fileShaOf,
  positionOfPublishedId,
  publishedIdOf,
  reportIdOf,
  TENANT_ID,
} from './ids.js';
import type { PublishedState } from './state.js';

/** The seed dataset's records in the published API's shapes (pan.dev IncidentsAPI.yaml, ReportsAPI.yaml). */

const PUBLISHED_CHANNEL: Readonly<Record<DLPIncident['channel'], 'ngfw' | 'prisma-access'>> = {
  web: 'ngfw',
  ssl: 'ngfw',
  saas: 'prisma-access',
  email: 'prisma-access',
  endpoint: 'prisma-access',
};
const PUBLISHED_ACTION: Readonly<Record<DLPIncident['action_taken'], 'alert' | 'block'>> = {
  alert: 'alert',
  block: 'block',
  quarantine: 'block',
  encrypt: 'alert',
};
const PROFILE_BASE = 11_995_000;
const REPORT_SALT = 0x7e90;
const HOSTILE_DETECTION_SHARE = 0.15;

export const publishedChannelOf = (record: DLPIncident) => PUBLISHED_CHANNEL[record.channel];

const patternIndex = (record: DLPIncident) =>
  Math.max(
    0,
    DATA_PATTERNS.findIndex((p) => p.id === record.data_pattern_id),
  );
const patternHexId = (record: DLPIncident) => `6374e1b4dee31d91c40b${record.data_pattern_id.padStart(4, '0')}`;
const extensionOf = (fileName: string) => /\.([a-z0-9]{1,5})$/.exec(fileName)?.[1] ?? 'txt';

/** The published id of a record: the one generated from its position, unless the `replaceIds` quirk replaced it. */
export const incidentIdOf = (dataset: PaloAltoDataset, position: number) =>
  dataset.ids?.at(position) ?? publishedIdOf(dataset.seed, position);

/** The position a published id names, replaced ids included (visibility is the caller's to check). */
export function positionOfIncident(dataset: PaloAltoDataset, id: string): number | undefined {
  const generated = positionOfPublishedId(dataset.seed, id);
  return dataset.ids ? (dataset.ids.positionOf(id) ?? dataset.ids.generated(generated)) : generated;
}

/** `IncidentDTO`. Fields that would be null are left out, as the API does. */
export function listEntry(dataset: PaloAltoDataset, position: number) {
  const record = dataset.incident(position);
  const channel = publishedChannelOf(record);
  return {
    action: PUBLISHED_ACTION[record.action_taken],
    app_name: record.application,
    channel,
    data_profile_id: PROFILE_BASE + patternIndex(record),
    data_profile_name: record.data_pattern_name,
    file_name: record.file_name,
    file_sha: fileShaOf(dataset.seed, position),
    file_type: extensionOf(record.file_name),
    incident_creation_time: creationTime(Date.parse(record.timestamp)),
    incident_id: incidentIdOf(dataset, position),
    report_id: reportIdOf(position),
    source: channel,
    tenant_id: TENANT_ID,
    user: record.user,
  };
}

/** `IncidentResponseDTO`: the entry plus triage state and match counts. Snippet storage is off (no `snippets`). */
export function detail(dataset: PaloAltoDataset, state: PublishedState, position: number) {
  const record = dataset.incident(position);
  const optional: Record<string, unknown> = {
    assignee_id: state.assigneeOf(position, record.reviewed_by),
    incident_notes: record.reviewer_comments || undefined,
    resolution_status: state.resolutionOf(position),
    incident_feedback_status: state.feedbackOf(position),
  };
  const count = record.match_count;
  return {
    ...listEntry(dataset, position),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    match_info: {
      [patternHexId(record)]: {
        name: record.data_pattern_name,
        version: 1,
        detection_technique: 'regex',
        hcf: count,
        mcf: 0,
        lcf: count,
        uhcf: count,
        umcf: 0,
        ulcf: count,
      },
    },
  };
}

/**
 * `ScanContentResponse`. Detections are served UNMASKED (synthetic test values only: Stripe test cards, 000-
 * prefixed SSNs, example.com addresses) so the adapter's own masking is what the tests see; the context either
 * side holds other values in clear, as real reports do, and some detections carry hostile strings.
 */
export function report(dataset: PaloAltoDataset, position: number, fetchSnippets: boolean) {
  const record = dataset.incident(position);
  const rng = createRng(hashSeed(dataset.seed, position, REPORT_SALT));
  const count = Math.min(record.match_count, rng.int(1, 3));
  const kind = DATA_PATTERNS[patternIndex(record)]?.kind ?? 'card';
  const detections = Array.from({ length: count }, (_, i) => {
    const value = clearValue(kind, rng);
    const detection = rng.chance(HOSTILE_DETECTION_SHARE) ? `${rng.pick(HOSTILE_STRINGS)} ${value}` : value;
    return {
      detection,
      original_text: detection,
      left: `row ${i + 2}: card 4000 0566 5566 5556, ssn 000-55-0101, `,
      right: ` | contact someone@example.com`,
      origOffSet: rng.int(0, 5_000),
      textLength: 0,
    };
  });
  const matched = {
    data_pattern_id: patternHexId(record),
    name: record.data_pattern_name,
    technique: 'regex',
    type: 'predefined',
    state: 'EVALUATED',
    version: 1,
    detection_frequency: record.match_count,
    unique_detection_frequency: record.match_count,
    high_confidence_frequency: record.match_count,
    matched_confidence_level: 'high',
    ...(fetchSnippets ? { detections } : {}),
  };
  // An evaluated pattern that found nothing, as real reports list every pattern of the profile.
  const unmatched = {
    data_pattern_id: '5ee3c51c99025d000161ab9a',
    name: 'Bank - ABA Routing Number',
    state: 'EVALUATED',
    detection_frequency: 0,
  };
  const entry = listEntry(dataset, position);
  return {
    action: entry.action,
    data_pattern_rule_1_verdict: 'MATCHED',
    data_profile_id: String(entry.data_profile_id),
    data_profile_name: entry.data_profile_name,
    data_profile_version: 1,
    detection_time: detectionTime(Date.parse(record.timestamp)),
    fileSha: entry.file_sha,
    file_name: entry.file_name,
    file_type: entry.file_type,
    report_id: entry.report_id,
    scanContentRawReport: { data_pattern_rule_1_results: [matched, unmatched] },
    tenant_id: TENANT_ID,
    txn_id: entry.report_id,
    type: 'basic',
  };
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

function clearValue(kind: SnippetKind, rng: Rng): string {
  switch (kind) {
    case 'card':
      return rng.pick(['4242 4242 4242 4242', '4000 0000 0000 0002', '5555 5555 5555 4444']);
    case 'ssn':
      return `000-${digits(rng, 2)}-${digits(rng, 4)}`;
    case 'code':
      return `sk_test_${digits(rng, 16)}`;
    case 'mrn':
      return `MRN-${digits(rng, 8)}`;
    case 'bank':
      return `000${digits(rng, 7)}`;
    case 'iban':
      return `XX00 0000 ${digits(rng, 4)} ${digits(rng, 4)}`;
    case 'label':
      return `CONFIDENTIAL-${digits(rng, 6)}`;
    case 'passport':
      return `X${digits(rng, 8)}`;
    case 'emails':
      return `user${digits(rng, 4)}@example.com`;
  }
}
