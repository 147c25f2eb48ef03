// The API's fixed names and limits, kept apart from the response schemas so the config schema loads without them.

/**
 * The largest `limit` queryIncidents documents (current docs; larger values are silently capped, §2.2). A page
 * this size that is still full may have more records beyond it: nothing in the answer says otherwise.
 */
export const MAX_QUERY_LIMIT = 500;

export const INCIDENT_TYPES = ['Alert', 'Threat'] as const;
export const CATEGORY_NAMES = [
  'Access',
  'Admin',
  'Audit',
  'Data',
  'Policy',
  'Vulnerability',
  'CompromisedAccount',
  'InsiderThreat',
  'PrivilegeAccess',
] as const;
/** The only `incidentCriteria.fields` names the seed says the server filters on. */
export const FIELD_NAMES = ['policyName', 'policyId', 'contentItemName', 'contentItemId', 'status'] as const;
