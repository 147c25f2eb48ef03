import type { Filter, QueryBody } from './client.js';

/** Request bodies for `POST /incidents`, in the documented filter language only (as Broadcom's scripts use it). */

export const and = (filters: Filter[]): Filter => ({ filterType: 'booleanLogic', booleanOperator: 'AND', filters });

export const longIn = (name: string, values: number[]): Filter => ({
  filterType: 'long',
  operandOne: { name },
  operator: 'IN',
  operandTwoValues: values,
});

export const notHidden: Filter = {
  filterType: 'boolean',
  operandOne: { name: 'isHidden' },
  operator: 'EQ',
  operandTwoValues: [false],
};

export const createdAt = (operator: 'GTE' | 'LTE' | 'GT' | 'LT', localDateTime: string): Filter => ({
  filterType: 'localDateTime',
  operandOne: { name: 'creationDate' },
  operator,
  operandTwoValues: [localDateTime],
});

/** The incident, when one of its notes holds `marker` (documented: notes are filterable as `incidentNote`). */
export function noteMarkerQuery(id: number, marker: string): QueryBody {
  const noted: Filter = {
    filterType: 'string',
    operandOne: { name: 'incidentNote' },
    operator: 'LIKE',
    operandTwoValues: [`%${marker}%`],
  };
  return listQuery(and([longIn('incidentId', [id]), noted]), 1, 1, ['incidentId']);
}

/** What the mapper reads, plus `isHidden` so a server that ignored the filter is caught. */
export const LIST_FIELDS = [
  'incidentId',
  'creationDate',
  'severityId',
  'incidentStatusId',
  'policyName',
  'messageSource',
  'messageType',
  'matchCount',
  'networkSenderIdentifier',
  'isHidden',
] as const;

/** Oldest first with the id as tie-breaker, so offset pages are stable while nothing changes. */
export function listQuery(filter: Filter, pageNumber: number, pageSize: number, fields: readonly string[]): QueryBody {
  return {
    select: fields.map((name) => ({ name })),
    filter,
    orderBy: [
      { field: { name: 'creationDate' }, order: 'ASC' },
      { field: { name: 'incidentId' }, order: 'ASC' },
    ],
    page: { type: 'offset', pageNumber, pageSize },
  };
}
