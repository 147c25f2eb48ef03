/**
 * Skyhigh's enumerations as the reference (shared/reference/vendors-symantec-skyhigh.md §2.7) and the seed
 * definitions (seed 004) spell them, plus the synthetic vocabulary the simulator's dataset is made of.
 */

/** Read labels, exactly as `status` comes back from queryIncidents. Indexes are the dataset's status codes. */
export const STATUSES = ['new', 'opened', 'false positive', 'resolved', 'suppressed', 'archived'] as const;
export type ShnStatus = (typeof STATUSES)[number];
export const NEW = 0;
export const OPENED = 1;
export const FALSE_POSITIVE = 2;
export const RESOLVED = 3;
export const ARCHIVED = 5;
export const isOpenStatus = (status: number) => status === NEW || status === OPENED;

/** `incidentRiskSeverity`; the index is `incidentRiskSeverityId` (low 0, high 2 seen; medium 1 inferred). */
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type ShnSeverity = (typeof SEVERITIES)[number];

/** The product's default response windows (src/domain/sla-config.ts), in hours, for Skyhigh's three severities. */
export const DEFAULT_SLA_HOURS: Readonly<Record<ShnSeverity, number>> = { high: 4, medium: 8, low: 12 };

export const SEVERITY_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 35],
  [1, 40],
  [2, 25],
];

export const STATUS_WEIGHTS: readonly (readonly [number, number])[] = [
  [NEW, 55],
  [OPENED, 15],
  [FALSE_POSITIVE, 6],
  [RESOLVED, 14],
  [4, 5], // suppressed
  [ARCHIVED, 5],
];

export type GroupKind = 'dlp' | 'access' | 'audit' | 'epo' | 'anomaly' | 'threat' | 'malware' | 'shadow';

export interface GroupDef {
  /** The three-letter `incidentId` prefix. */
  prefix: string;
  /** `incidentGroup`: incidentType.category.name. */
  group: string;
  groupId: number | null;
  product: 'SANCTIONED' | 'SHADOW';
  kind: GroupKind;
  weight: number;
}

export const GROUPS: readonly GroupDef[] = [
  { prefix: 'DLP', group: 'Alert.Policy.Dlp', groupId: null, product: 'SANCTIONED', kind: 'dlp', weight: 55 },
  { prefix: 'CAP', group: 'Alert.Policy.CloudAccess', groupId: 12, product: 'SANCTIONED', kind: 'access', weight: 10 },
  { prefix: 'AUD', group: 'Alert.Policy.Audit', groupId: 13, product: 'SANCTIONED', kind: 'audit', weight: 7 },
  { prefix: 'EPO', group: 'Alert.Policy.Epo', groupId: 14, product: 'SANCTIONED', kind: 'epo', weight: 5 },
  {
    prefix: 'ANO',
    group: 'Alert.Access.AnomalousAccessLocation',
    groupId: 21,
    product: 'SANCTIONED',
    kind: 'anomaly',
    weight: 8,
  },
  {
    prefix: 'THR',
    group: 'Threat.CompromisedAccount.BruteForceLogin',
    groupId: 31,
    product: 'SANCTIONED',
    kind: 'threat',
    weight: 5,
  },
  { prefix: 'MAL', group: 'Alert.Data.Malware', groupId: 41, product: 'SANCTIONED', kind: 'malware', weight: 4 },
  { prefix: 'SHW', group: 'Alert.Access.ShadowAnomaly', groupId: 51, product: 'SHADOW', kind: 'shadow', weight: 6 },
];

export const GROUP_WEIGHTS: readonly (readonly [number, number])[] = GROUPS.map((g, i) => [i, g.weight]);

export const INCIDENT_TYPES = ['Alert', 'Threat'] as const;
/** Categories and the incidentType each belongs to (seed 004, IncidentCategory). */
export const CATEGORIES: Readonly<Record<string, 'Alert' | 'Threat'>> = {
  Access: 'Alert',
  Admin: 'Alert',
  Audit: 'Alert',
  Data: 'Alert',
  Policy: 'Alert',
  Vulnerability: 'Alert',
  CompromisedAccount: 'Threat',
  InsiderThreat: 'Threat',
  PrivilegeAccess: 'Threat',
};

/** The only `incidentCriteria.fields` names the seed says the server supports. */
export const FILTER_FIELDS = ['policyName', 'policyId', 'contentItemName', 'contentItemId', 'status'] as const;

export const DLP_POLICIES = [
  { id: 3301, name: 'PII - SSN' },
  { id: 3302, name: 'PCI - Credit Card Numbers' },
  { id: 3303, name: 'Source Code Leakage' },
  { id: 3304, name: 'HIPAA - Patient Records' },
  { id: 3305, name: 'Confidential Document Label' },
  { id: 3306, name: 'Bulk Customer Export' },
] as const;

export const ACCESS_POLICIES = [
  { id: 4101, name: 'Block unmanaged device downloads' },
  { id: 4102, name: 'External sharing of sensitive folders' },
] as const;

export const AUDIT_POLICIES = [
  { id: 405763, name: 'MFA for accounts with read permissions on subscription not enabled' },
  { id: 405764, name: 'Storage account allows public blob access' },
] as const;

export const SERVICES = [
  { name: 'Microsoft OneDrive', instanceId: 1201, instance: 'Corp O365' },
  { name: 'Microsoft SharePoint', instanceId: 1201, instance: 'Corp O365' },
  { name: 'Box', instanceId: 1305, instance: 'Box Enterprise' },
  { name: 'Salesforce', instanceId: 1402, instance: 'Sales Org' },
  { name: 'Slack', instanceId: 1510, instance: 'Engineering Slack' },
  { name: 'Microsoft Azure', instanceId: 6840, instance: 'Azure' },
] as const;

export const SHADOW_SERVICES = ['Dropbox', 'WeTransfer', 'Pastebin', 'Mega'] as const;

export const ACTIVITIES = ['Upload', 'Share', 'Download', 'Edit', 'Create', 'Send'] as const;

export const FILE_STEMS = [
  'payroll',
  'customer-export',
  'quarterly-report',
  'design-spec',
  'patient-list',
  'backup',
  'invoice-batch',
] as const;

export const FILE_TYPES = ['xlsx', 'csv', 'pdf', 'docx', 'zip', 'py'] as const;

export const MATCH_LOCATIONS = ['Content', 'File name', 'Metadata', 'Attachment'] as const;

export const RESPONSES: Readonly<Record<GroupKind, readonly string[]>> = {
  dlp: ['Quarantine', 'Notify User', 'Remove Sharing'],
  access: ['Block Access'],
  audit: ['Violation Detected'],
  epo: ['Block', 'Notify User'],
  anomaly: ['Admin Login'],
  threat: ['Notify Admin'],
  malware: ['Quarantine'],
  shadow: ['Block Access'],
};
