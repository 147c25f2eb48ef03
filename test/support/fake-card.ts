import { incidentCard } from '../../src/cards/incident-card.js';
import type { Incident } from '../../src/domain/incident.js';
import { createSlaPolicy, evaluateSla } from '../../src/domain/sla.js';
import { SlaConfig } from '../../src/domain/sla-config.js';
import type { ActionTable } from '../../src/ports/actions.js';
import type { Capabilities } from '../../src/ports/index.js';
import type { View } from '../../src/views/view.js';
import { DEFAULT_ACTIONS } from './actions.js';
import { FAKE_CAPABILITIES } from './fake-source.js';

const DEFAULT_POLICY = createSlaPolicy(SlaConfig.parse({}), []);

/** The incident card for a fake-source incident ('Fake DLP'), its SLA judged at `now` under the default policy. */
export function fakeIncidentCard(
  incident: Incident,
  now: Date,
  capabilities: Capabilities = FAKE_CAPABILITIES,
  actions: ActionTable = DEFAULT_ACTIONS,
): View {
  return incidentCard({
    actions,
    incident,
    sla: evaluateSla(incident, DEFAULT_POLICY, now),
    sourceName: 'Fake DLP',
    capabilities,
  });
}

/** The card's field labels in the order every chat surface must show them, for an incident with a console link. */
export const INCIDENT_CARD_LABELS = [
  'Severity',
  'Source',
  'Policy',
  'User',
  'Channel / app',
  'File',
  'Matches',
  'Created',
  'SLA deadline',
  'Status',
  'Assignee',
  'Console',
] as const;
