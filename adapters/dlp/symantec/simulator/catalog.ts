/** The simulated Enforce deployment's vocabulary: statuses, severities, policies and synthetic names. */

export interface StatusDef {
  id: number;
  /** As `GET /incidents/statuses` spells it: built-ins as i18n keys, custom statuses as typed. */
  name: string;
}

/** Enforce's defaults with the ids XSOAR's lab shows, plus the Broadcom example's custom "SLA Breach" (161). */
export const DEFAULT_STATUSES: readonly StatusDef[] = [
  { id: 1, name: 'incident.status.New' },
  { id: 21, name: 'In Process' },
  { id: 42, name: 'Escalated' },
  { id: 43, name: 'False Positive' },
  { id: 44, name: 'Configuration Error' },
  { id: 45, name: 'Resolved' },
  { id: 161, name: 'SLA Breach' },
];

export const NEW = 1;
export const SLA_BREACH = 161;

/** Generated status mix (ids from DEFAULT_STATUSES). */
export const STATUS_WEIGHTS: readonly (readonly [number, number])[] = [
  [NEW, 62],
  [SLA_BREACH, 4],
  [21, 12],
  [42, 4],
  [43, 7],
  [45, 11],
];

/** 1 High, 2 Medium, 3 Low, 4 Info; PATCH names them. */
export const SEVERITY_NAMES: Readonly<Record<string, number>> = { HIGH: 1, MEDIUM: 2, LOW: 3, INFO: 4 };
export const SEVERITY_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 24],
  [2, 36],
  [3, 28],
  [4, 12],
];
/** Broadcom's SLA example windows (and dlp-bot's defaults) per severity id, in hours. */
export const SLA_HOURS: Readonly<Record<number, number>> = { 1: 4, 2: 8, 3: 12, 4: 16 };

export interface PolicyDef {
  id: number;
  name: string;
  groupId: number;
  groupName: string;
  version: number;
  kind: MatchKind;
}

export type MatchKind = 'card' | 'ssn' | 'source' | 'iban' | 'label';

export const POLICIES: readonly PolicyDef[] = [
  { id: 7, name: 'PCI - Card Numbers', groupId: 1, groupName: 'Default Policy Group', version: 2, kind: 'card' },
  { id: 8, name: 'US SSN - Exact', groupId: 1, groupName: 'Default Policy Group', version: 5, kind: 'ssn' },
  { id: 12, name: 'Source Code Leakage', groupId: 2, groupName: 'Engineering', version: 1, kind: 'source' },
  { id: 15, name: 'EU IBAN', groupId: 3, groupName: 'Finance EMEA', version: 3, kind: 'iban' },
  {
    id: 21,
    name: 'Confidential Document Marker',
    groupId: 1,
    groupName: 'Default Policy Group',
    version: 4,
    kind: 'label',
  },
];

export const SOURCES: readonly (readonly [string, number])[] = [
  ['NETWORK', 55],
  ['ENDPOINT', 30],
  ['DISCOVER', 15],
];

/** Message types per source with their ids (3 = HTTP and 9 = RAW as seen in XSOAR's data; the rest synthetic). */
export const MESSAGE_TYPES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  NETWORK: [
    ['SMTP', 1],
    ['HTTP', 3],
    ['FTP', 5],
    ['RAW', 9],
  ],
  ENDPOINT: [
    ['ENDPOINT_REMOVABLE_STORAGE', 21],
    ['ENDPOINT_PRINTER', 23],
    ['ENDPOINT_CLIPBOARD', 25],
  ],
  DISCOVER: [
    ['DISCOVER_FILE_SHARE', 31],
    ['DISCOVER_SHAREPOINT', 33],
  ],
};

export const DETECTION_SERVERS: Readonly<Record<string, readonly [number, string]>> = {
  NETWORK: [1, 'Network Prevent 01'],
  ENDPOINT: [2, 'Endpoint Prevent'],
  DISCOVER: [3, 'Network Discover'],
};

/** Custom attributes of the deployment's default group; `index` is the PATCH `columnIndex`. */
export const CUSTOM_ATTRIBUTES: readonly { name: string; index: number }[] = [
  { name: 'Ticket', index: 1 },
  { name: 'Assigned Analyst', index: 2 },
  { name: 'Business Unit', index: 3 },
];
export const CUSTOM_GROUP = 'custom_attribute_group.default';

export const FILE_STEMS = ['q3-forecast', 'customer-export', 'payroll', 'design-notes', 'backup', 'invoice-batch'];
export const FILE_EXTENSIONS = ['xlsx', 'csv', 'pdf', 'docx', 'txt', 'zip'];
export const SUBJECTS = ['Quarterly numbers', 'FW: list', 'backup copy', 'see attached', 'notes'];
export const BUSINESS_UNITS = ['Finance', 'Engineering', 'Sales', 'HR'];
