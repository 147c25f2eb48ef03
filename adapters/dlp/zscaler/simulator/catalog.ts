/**
 * ZWA's enumerations as the reference spells them (§1.8), plus the synthetic vocabulary the simulator's
 * dataset is made of. Nothing here is real or realistic data.
 */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
/** NEW and RESOLVED are documented; the others are the UI's states in the inferred API spelling. */
export const STATUSES = ['NEW', 'INVESTIGATING', 'ESCALATED', 'RESOLVED'] as const;
export type ZwaStatus = (typeof STATUSES)[number];
export const isOpenStatus = (status: ZwaStatus) => status !== 'RESOLVED';

/** The product's default response windows (src/domain/sla-config.ts), in hours. */
export const DEFAULT_SLA_HOURS: readonly number[] = [2, 4, 8, 12, 16];

export const SEVERITY_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 5],
  [1, 25],
  [2, 40],
  [3, 25],
  [4, 5],
];

export const STATUS_WEIGHTS: readonly (readonly [ZwaStatus, number])[] = [
  ['NEW', 60],
  ['INVESTIGATING', 12],
  ['ESCALATED', 4],
  ['RESOLVED', 24],
];

export const SOURCE_TYPES = ['Inline', 'Email', 'SaaS Security', 'Endpoint'] as const;

export const POLICIES: readonly { rule: string; engine: string; dictionary: string }[] = [
  { rule: 'Block-PCI', engine: 'PCI', dictionary: 'Credit Cards' },
  { rule: 'Block-GLBA-SSN', engine: 'GLBA', dictionary: 'Citizen Service Number' },
  { rule: 'Monitor-HIPAA', engine: 'HIPAA', dictionary: 'Medical Information' },
  { rule: 'Alert-Source-Code', engine: 'Source Code', dictionary: 'Source Code Keywords' },
];

export const APPLICATIONS: readonly { name: string; category: string }[] = [
  { name: 'BOX', category: 'File' },
  { name: 'Microsoft OneDrive', category: 'File' },
  { name: 'Gmail', category: 'Webmail' },
  { name: 'GitHub', category: 'Developer Tools' },
  { name: 'Slack', category: 'Collaboration' },
];

export const FILE_STEMS = ['quarterly-report', 'customer-list', 'export', 'notes', 'backup', 'draft'] as const;
export const FILE_TYPES = ['docx', 'xlsx', 'csv', 'pdf', 'txt'] as const;
export const DEPARTMENTS = ['Finance', 'Engineering', 'Sales', 'Support', 'Legal'] as const;
