import type { ActionForm, FormField, PersonField } from '../../../../src/views/form.js';
import type { Button } from '../../../../src/views/view.js';
import { safeUrl } from '../../slack/escape.js';
import { lines, singleLine, TEXT_LIMITS } from './text.js';
import type { ActionSet, AdaptiveCard, CardButton, CardElement, ExecuteAction, InputChoiceSet } from './types.js';

/** An analyst the Assign form offers by name (the `teams.analysts` config). */
export interface Analyst {
  display: string;
  email: string;
}

/** The key under which every Action.Execute carries the button's ButtonValue JSON (`{"v":1,"s":…,"i":…}`). */
export const DATA_KEY = 'dlpIncident';

/**
 * Not an incident action: the evidence view's way back to the incident card, redrawn for the clicker alone.
 * Nothing changes and nothing is audited; the verb only needs to differ from every action id.
 */
export const BACK_VERB = 'dlp.back_to_card';

/** The "Back to the incident" button of a private view about the incident `value` names. */
export const backAction = (value: string): ExecuteAction => execute(BACK_VERB, 'Back to the incident', value);

/**
 * A person field is two inputs, because Teams can only look people up by email: a list of the configured
 * analysts (input id = the field id) and a box for anyone else's email (this id). Teams merges both into the
 * submitting action's `data`; the core takes whichever was filled, and refuses two different people.
 */
export const emailInputId = (field: PersonField) => `${field.id}Email`;

/** The choice list is a convenience; past this many bytes the email box covers everyone else. */
const CHOICES_BUDGET = 6000;
const EMAIL_MAX = 254;

const title = (label: string) => singleLine(label, TEXT_LIMITS.buttonTitle);
const count = (n: number) => n.toLocaleString('en-US');

function execute(verb: string, label: string, value: string, style?: Button['style']): ExecuteAction {
  const action: ExecuteAction = { type: 'Action.Execute', title: title(label), verb, data: { [DATA_KEY]: value } };
  if (style === 'primary') action.style = 'positive';
  if (style === 'danger') action.style = 'destructive';
  return action;
}

function analystChoices(field: PersonField, analysts: readonly Analyst[]): InputChoiceSet | null {
  const choices: InputChoiceSet['choices'] = [];
  let used = 0;
  for (const a of analysts) {
    // A comma would split the value (multi-select syntax); such an address cannot be a real one anyway.
    if (a.email.length > EMAIL_MAX || a.email.includes(',')) continue;
    const choice = { title: singleLine(a.display, TEXT_LIMITS.choiceTitle), value: a.email };
    used += JSON.stringify(choice).length;
    if (used > CHOICES_BUDGET) break;
    choices.push(choice);
  }
  if (choices.length === 0) return null;
  return {
    type: 'Input.ChoiceSet',
    id: field.id,
    label: `${field.label} an analyst`,
    style: 'compact',
    placeholder: 'Choose an analyst',
    choices,
  };
}

function inputs(field: FormField, analysts: readonly Analyst[]): CardElement[] {
  if (field.kind === 'person') {
    const choices = analystChoices(field, analysts);
    return [
      ...(choices ? [choices] : []),
      {
        type: 'Input.Text',
        id: emailInputId(field),
        label: choices ? 'Or type their email' : `${field.label} (email)`,
        style: 'email',
        maxLength: EMAIL_MAX,
        placeholder: 'name@example.com',
      },
    ];
  }
  return [
    {
      type: 'Input.Text',
      id: field.id,
      label: field.label,
      isMultiline: field.multiline ?? false,
      maxLength: field.max,
      ...(field.placeholder ? { placeholder: field.placeholder } : {}),
      isRequired: field.required,
      ...(field.required
        ? { errorMessage: `Write a ${field.noun} first (up to ${count(field.max)} characters).` }
        : {}),
    },
  ];
}

/** The inline form an `Action.ShowCard` opens (the Playground and some Teams clients cannot open dialogs). */
function showCard(b: Button, form: ActionForm, analysts: readonly Analyst[]): CardButton {
  const body: CardElement[] = [
    ...(form.confirm ? lines(form.confirm) : []),
    ...form.fields.flatMap((field) => inputs(field, analysts)),
  ];
  const { alternative } = form;
  // Beside an alternative, the form's own button is the one to press.
  const submit = execute(b.actionId, form.submit, b.value, b.style ?? (alternative ? 'primary' : undefined));
  const actions = [submit, ...(alternative ? [execute(alternative.action, alternative.label, b.value)] : [])];
  const card: AdaptiveCard = { type: 'AdaptiveCard', body, actions };
  return { type: 'Action.ShowCard', title: title(b.label), card };
}

/** One view button as a card action; null for a link button whose URL is not a usable http(s) URL. */
export function cardButton(b: Button, analysts: readonly Analyst[]): CardButton | null {
  if (b.url) {
    const url = safeUrl(b.url, TEXT_LIMITS.url);
    return url ? { type: 'Action.OpenUrl', title: title(b.label), url } : null;
  }
  // Any other button is an action from the table: its verb is the action id, its form the declared one.
  return b.form ? showCard(b, b.form, analysts) : execute(b.actionId, b.label, b.value, b.style);
}

export function actionSet(buttons: readonly Button[], analysts: readonly Analyst[]): ActionSet | null {
  const actions = buttons.flatMap((b) => cardButton(b, analysts) ?? []);
  return actions.length > 0 ? { type: 'ActionSet', actions } : null;
}
