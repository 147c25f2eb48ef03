import type { TriageConfig } from '../config/triage-schema.js';
import type { Action, ActionSpec, ActionTable, Requirement } from '../ports/actions.js';
import { type ActionForm, type FormField, idsOf } from '../views/form.js';

function settle(form: ActionForm<Requirement>, settings: TriageConfig): ActionForm {
  const fields = form.fields.map(
    (field): FormField =>
      field.kind === 'text'
        ? { ...field, required: typeof field.required === 'function' ? field.required(settings) : field.required }
        : field,
  );
  return { ...form, fields };
}

/** Two actions answering to one id, or one command name, is a registry bug: say so at start, not at a click. */
function checkUnique(actions: readonly Action[]): void {
  const ids = new Set<string>();
  const commands = new Set<string>();
  for (const action of actions) {
    for (const id of idsOf(action)) {
      if (ids.has(id)) throw new TypeError(`two triage actions answer to "${id}"`);
      ids.add(id);
    }
    if (action.cli && commands.has(action.cli.name)) throw new TypeError(`two triage actions are "${action.cli.name}"`);
    if (action.cli) commands.add(action.cli.name);
    for (const field of action.form?.fields ?? []) {
      if (idsOf(field).length !== new Set(idsOf(field)).size) {
        throw new TypeError(`${action.id}: field "${field.id}" repeats an id`);
      }
    }
    const alternative = action.form?.alternative?.action;
    if (alternative && !actions.some((a) => a.id === alternative)) {
      throw new TypeError(`${action.id}: its form offers "${alternative}", which is not in the table`);
    }
  }
}

export function createActionTable(specs: readonly ActionSpec[], settings: TriageConfig): ActionTable {
  const all: Action[] = specs.map((spec) => {
    const { form, ...rest } = spec;
    return form ? { ...rest, form: settle(form, settings) } : rest;
  });
  checkUnique(all);
  const byId = new Map(all.flatMap((action) => idsOf(action).map((id): [string, Action] => [id, action])));
  return {
    all,
    find: (id) => byId.get(id) ?? null,
    on: (card, incident, capabilities) =>
      all.filter((action) => action.card === card && (action.showWhen?.(incident, capabilities) ?? true)),
  };
}
