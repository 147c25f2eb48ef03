/** Enumerations exactly as the seed OpenAPI document spells them, plus the synthetic vocabulary. */

export const STATUSES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
export type PanStatus = (typeof STATUSES)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type PanSeverity = (typeof SEVERITIES)[number];
export const CHANNELS = ['web', 'ssl', 'saas', 'email', 'endpoint'] as const;
export type PanChannel = (typeof CHANNELS)[number];
export const DIRECTIONS = ['upload', 'download', 'internal'] as const;
export const ACTIONS = ['alert', 'block', 'quarantine', 'encrypt'] as const;

/** The seed spec's `DLPIncident`; the last three appear only once someone has reviewed the incident. */
export type DLPIncident = {
  incident_id: string;
  status: PanStatus;
  severity: PanSeverity;
  data_pattern_name: string;
  data_pattern_id: string;
  match_count: number;
  channel: PanChannel;
  user: string;
  timestamp: string;
  application: string;
  file_name: string;
  file_type: string;
  file_size: number;
  direction: (typeof DIRECTIONS)[number];
  action_taken: (typeof ACTIONS)[number];
  reviewer_comments?: string;
  reviewed_by?: string;
  reviewed_at?: string;
};

export interface ContentSnippet {
  pattern_id: string;
  pattern_name: string;
  snippet: string;
  position: number;
  masked: boolean;
}

/** The product's default response windows (src/domain/sla-config.ts), in hours. */
export const DEFAULT_SLA_HOURS: Readonly<Record<PanSeverity, number>> = {
  critical: 2,
  high: 4,
  medium: 8,
  low: 12,
  informational: 16,
};

export const SEVERITY_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 6], // critical
  [1, 22], // high
  [2, 34], // medium
  [3, 28], // low
  [4, 10], // informational
];

export const STATUS_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 70], // open
  [1, 15], // in_review
  [2, 10], // resolved
  [3, 5], // dismissed
];

export const OPEN = 0;

/** Snippet templates use only masked, obviously synthetic values (Stripe-style test card tails, 000 numbers). */
export type SnippetKind = 'card' | 'ssn' | 'code' | 'mrn' | 'bank' | 'iban' | 'label' | 'passport' | 'emails';

export interface DataPatternDef {
  id: string;
  name: string;
  kind: SnippetKind;
}

export const DATA_PATTERNS: readonly DataPatternDef[] = [
  { id: '449401', name: 'PCI - Credit Card', kind: 'card' },
  { id: '449402', name: 'US SSN', kind: 'ssn' },
  { id: '449403', name: 'Source Code', kind: 'code' },
  { id: '449404', name: 'HIPAA - Medical Record Number', kind: 'mrn' },
  { id: '449405', name: 'Bank Account Number', kind: 'bank' },
  { id: '449406', name: 'IBAN', kind: 'iban' },
  { id: '449407', name: 'Confidential Document Label', kind: 'label' },
  { id: '449408', name: 'Passport Number', kind: 'passport' },
  { id: '449409', name: 'Bulk Email Addresses', kind: 'emails' },
];

export const APPLICATIONS: Readonly<Record<PanChannel, readonly string[]>> = {
  web: ['web-browsing', 'google-base', 'pastebin'],
  ssl: ['ssl', 'web-browsing'],
  saas: ['box-base', 'google-drive-web', 'ms-onedrive-base', 'slack-base', 'dropbox-base'],
  email: ['smtp', 'gmail-base', 'outlook-web-online'],
  endpoint: ['usb-removable-media', 'printer', 'bluetooth'],
};

export const FILE_KINDS: readonly (readonly [string, string])[] = [
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['csv', 'text/csv'],
  ['pdf', 'application/pdf'],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['txt', 'text/plain'],
  ['zip', 'application/zip'],
  ['py', 'text/x-python'],
];

export const FILE_STEMS = [
  'quarterly-report',
  'customer-export',
  'payroll-summary',
  'design-spec',
  'backup',
  'meeting-notes',
  'invoice-batch',
  'patient-list',
];

export const REVIEW_COMMENTS = [
  'Confirmed with the data owner; business justified.',
  'Test data only, no real records.',
  'User reminded of the data handling policy.',
  'Escalated to the privacy team.',
  'Duplicate of an earlier incident.',
];
