import { CLOSED_STATUSES, formatIncidentRef, type Incident } from '../domain/incident.js';
import type { SlaEvaluation, SlaState } from '../domain/sla.js';
import type { ActionTable } from '../ports/actions.js';
import type { Capabilities } from '../ports/index.js';
import { encodeButtonValue } from '../views/button-value.js';
import { formatDuration, formatUtc, truncate } from '../views/format.js';
import type { Block, Button, Field, IncidentFacts, Tone, View } from '../views/view.js';
import { actionButtons, type CardActions } from './action-buttons.js';

/** Vendor free text is untrusted and can be huge; a card shows enough to recognise it, never 5,000 chars. */
const MAX_VENDOR_TEXT = 200;

export interface IncidentCardInput {
  incident: Incident;
  /** null when the incident no longer awaits triage. */
  sla: SlaEvaluation | null;
  /** The vendor's product name, e.g. "Palo Alto Networks Enterprise DLP". */
  sourceName: string;
  capabilities: Capabilities;
  /** The triage actions in effect: the card shows a button for each one it offers. */
  actions: ActionTable;
}

/** Not a triage action: a link button, whose click Slack still sends (and which needs an ack). */
export const OPEN_IN_CONSOLE = 'dlp.open';

const STATE_LABEL: Record<SlaState, string> = {
  ok: 'Within SLA',
  due_soon: 'SLA due soon',
  breached: 'SLA breached',
  escalated: 'SLA escalated',
};

const STATE_TONE: Record<SlaState, Tone> = {
  ok: 'neutral',
  due_soon: 'warning',
  breached: 'danger',
  escalated: 'danger',
};

const vendorText = (value: string | null, fallback = '—') => (value ? truncate(value, MAX_VENDOR_TEXT) : fallback);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function slaSummary(sla: SlaEvaluation | null): string {
  if (!sla) return 'SLA no longer applies (triaged)';
  const deadline = formatUtc(sla.deadline);
  return sla.overdueMs > 0
    ? `${deadline} (overdue by ${formatDuration(sla.overdueMs)})`
    : `${deadline} (due in ${formatDuration(sla.remainingMs)})`;
}

export function incidentTitle({ incident, sla }: Pick<IncidentCardInput, 'incident' | 'sla'>): string {
  const ref = formatIncidentRef(incident);
  const what = `${incident.severity} DLP incident ${ref}`;
  if (!sla) return `${capitalise(what)}: ${incident.status.replace('_', ' ')}`;
  if (sla.state === 'ok') return `${capitalise(what)}: SLA ends in ${formatDuration(sla.remainingMs)}`;
  if (sla.state === 'due_soon') return `SLA due soon: ${what}, ends in ${formatDuration(sla.remainingMs)}`;
  return `${STATE_LABEL[sla.state]}: ${what}, overdue by ${formatDuration(sla.overdueMs)}`;
}

function fields(incident: Incident, sla: SlaEvaluation | null, sourceName: string): Field[] {
  const where = [incident.channel, incident.application].filter(Boolean).join(' / ');
  const status =
    incident.rawStatus && incident.rawStatus !== incident.status
      ? `${incident.status} (${vendorText(incident.rawStatus)})`
      : incident.status;
  const list: Field[] = [
    { label: 'Severity', value: capitalise(incident.severity) },
    { label: 'Source', value: `${sourceName} (${incident.source})` },
    { label: 'Policy', value: vendorText(incident.policy) },
    { label: 'User', value: vendorText(incident.actor) },
    { label: 'Channel / app', value: vendorText(where || null) },
    { label: 'File', value: vendorText(incident.fileName) },
    { label: 'Matches', value: incident.matchCount === null ? '—' : String(incident.matchCount) },
    { label: 'Created', value: formatUtc(incident.createdAt) },
    { label: 'SLA deadline', value: slaSummary(sla) },
    { label: 'Status', value: status },
    { label: 'Assignee', value: vendorText(incident.assignee, 'Unassigned') },
  ];
  if (incident.link) list.push({ label: 'Console', value: 'Open in vendor console', url: incident.link });
  return list;
}

function buttons(incident: Incident, actions: CardActions): Button[] {
  const value = encodeButtonValue(incident);
  const list = actionButtons(actions, 'incident', incident, value);
  if (incident.link) list.push({ actionId: OPEN_IN_CONSOLE, label: 'Open in console', value, url: incident.link });
  return list;
}

/** Says plainly which actions this vendor cannot take, so a click is never a silent no-op. */
function localOnlyNote(capabilities: Capabilities, sourceName: string): string | null {
  const local = [
    capabilities.assign ? null : 'assignment',
    capabilities.note ? null : 'notes',
    capabilities.falsePositive ? null : 'false-positive marks',
  ].filter((x): x is string => x !== null);
  if (local.length === 0) return null;
  return `${capitalise(local.join(', '))}: recorded here, not in ${sourceName}.`;
}

function factsOf(incident: Incident, sla: SlaEvaluation | null, closed: boolean): IncidentFacts {
  return {
    severity: incident.severity,
    state: closed ? 'closed' : sla ? sla.state : 'triaged',
    overdueMs: sla ? (sla.overdueMs > 0 ? sla.overdueMs : -sla.remainingMs) : null,
    policy: incident.policy ? truncate(incident.policy, MAX_VENDOR_TEXT) : null,
  };
}

export function incidentCard(input: IncidentCardInput): View {
  const { incident, sla, sourceName, capabilities, actions } = input;
  const closed = CLOSED_STATUSES.has(incident.status);
  const heading = sla ? STATE_LABEL[sla.state] : capitalise(incident.status.replace('_', ' '));
  const blocks: Block[] = [
    {
      type: 'header',
      text: `${heading} · ${capitalise(incident.severity)} · ${vendorText(incident.policy, 'Unnamed policy')}`,
    },
    { type: 'fields', fields: fields(incident, sla, sourceName) },
  ];
  const note = localOnlyNote(capabilities, sourceName);
  if (note && !closed) blocks.push({ type: 'context', text: note });
  if (!closed) blocks.push({ type: 'actions', buttons: buttons(incident, { actions, capabilities }) });
  const tone: Tone = closed ? 'good' : sla ? STATE_TONE[sla.state] : 'neutral';
  return {
    title: incidentTitle(input),
    tone,
    blocks,
    subject: { source: incident.source, id: incident.id },
    facts: factsOf(incident, sla, closed),
  };
}
