import type { Incident } from '../domain/incident.js';
import type { ActionTable } from '../ports/actions.js';
import type { Capabilities } from '../ports/index.js';
import type { Button } from '../views/view.js';

/** What decides a card's triage buttons: the actions in effect and what the incident's vendor can do. */
export interface CardActions {
  actions: ActionTable;
  capabilities: Capabilities;
}

/** The buttons of the actions a card of `card`'s kind offers for the incident, each carrying its form and command. */
export function actionButtons(
  { actions, capabilities }: CardActions,
  card: 'incident' | 'reminder',
  incident: Incident,
  value: string,
): Button[] {
  return actions.on(card, incident, capabilities).map((action) => ({
    actionId: action.id,
    label: typeof action.label === 'function' ? action.label(incident) : action.label,
    value,
    ...(action.style ? { style: action.style } : {}),
    ...(action.form ? { form: action.form } : {}),
    ...(action.cli ? { command: action.cli.name } : {}),
  }));
}
