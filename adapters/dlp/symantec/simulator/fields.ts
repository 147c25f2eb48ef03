import type { SymantecDataset } from '../dataset.js';
import type { StatusDef } from './catalog.js';
import { formatWall } from './wall-time.js';

export type FieldType = 'long' | 'string' | 'localDateTime' | 'boolean';
export type Scalar = number | string | boolean | null;

/** One queryable incident field: its filter type, the value filters compare, and what a row shows. */
export interface FieldDef {
  type: FieldType;
  /** For localDateTime: wall ms. `incidentNote` is the one multi-valued field (any/none of the notes). */
  value(position: number): Scalar | string[];
  /** What `select` returns; undefined for filter-only fields. */
  output?(position: number): Scalar;
}

export function createFields(dataset: SymantecDataset, statuses: readonly StatusDef[]): Map<string, FieldDef> {
  const names = new Map(statuses.map((s) => [s.id, s.name]));
  const f = (p: number) => dataset.facts(p);
  const same = (def: Omit<FieldDef, 'output'>): FieldDef => ({ ...def, output: def.value as (p: number) => Scalar });
  const date = (offset: (p: number) => number): FieldDef => ({
    type: 'localDateTime',
    value: (p) => dataset.wallMs(p) - offset(p),
    output: (p) => formatWall(dataset.wallMs(p) - offset(p)),
  });
  const fields: [string, FieldDef][] = [
    ['incidentId', same({ type: 'long', value: (p) => dataset.idOf(p) })],
    ['creationDate', date(() => 0)],
    ['detectionDate', date((p) => f(p).detectionLagMs)],
    ['messageDate', date((p) => f(p).detectionLagMs + 1_000)],
    ['severityId', same({ type: 'long', value: (p) => dataset.severity(p) })],
    ['incidentStatusId', same({ type: 'long', value: (p) => dataset.status(p) })],
    ['incidentStatusName', same({ type: 'string', value: (p) => names.get(dataset.status(p)) ?? null })],
    ['isHidden', same({ type: 'boolean', value: (p) => dataset.hidden(p) })],
    ['policyId', same({ type: 'long', value: (p) => f(p).policy.id })],
    ['policyVersion', same({ type: 'long', value: (p) => f(p).policy.version })],
    ['policyGroupId', same({ type: 'long', value: (p) => f(p).policy.groupId })],
    ['policyName', same({ type: 'string', value: (p) => f(p).policy.name })],
    ['messageSource', same({ type: 'string', value: (p) => f(p).messageSource })],
    ['messageType', same({ type: 'string', value: (p) => f(p).messageType })],
    ['messageTypeId', same({ type: 'long', value: (p) => f(p).messageTypeId })],
    ['matchCount', same({ type: 'long', value: (p) => f(p).matchCount })],
    ['detectionServerId', same({ type: 'long', value: (p) => f(p).detectionServerId })],
    ['preventOrProtectStatusId', same({ type: 'long', value: (p) => f(p).preventOrProtectStatusId })],
    ['networkSenderIdentifier', same({ type: 'string', value: (p) => f(p).networkSenderIdentifier })],
    ['senderIPAddress', same({ type: 'string', value: (p) => f(p).senderIPAddress })],
    ['recipientIdentifier', same({ type: 'string', value: (p) => f(p).recipientIdentifier })],
    ['messageSubject', same({ type: 'string', value: (p) => f(p).messageSubject })],
    ['incidentNote', { type: 'string', value: (p) => dataset.notes(p) }],
  ];
  return new Map(fields);
}
