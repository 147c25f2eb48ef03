import { ACTION_IDS } from '../../../../src/triage/action-ids.js';
import { TYPED_FIELDS } from '../../../../src/triage/typed-text.js';
import type { Button } from '../../../../src/views/view.js';
import { safeUrl } from '../../slack/escape.js';
import { singleLine, TEXT_LIMITS } from './text.js';
import type { ActionSet, AdaptiveCard, CardButton, CardElement, ExecuteAction, InputChoiceSet } from './types.js';

/** An analyst the Assign form offers by name (the `teams.analysts` config). */
export interface Analyst {
  display: string;
  email: string;
}

/**
 * The ids of the inputs inside the inline forms. Teams merges each input's value into the submitting
 * `Action.Execute`'s `data` under its id, next to {@link DATA_KEY}; `parseCardAction` reads them back.
 */
export const INPUT_IDS = {
  analyst: 'dlpAnalyst',
  email: 'dlpEmail',
  note: 'dlpNote',
  reason: 'dlpReason',
} as const;

/** The key under which every Action.Execute carries the button's ButtonValue JSON (`{"v":1,"s":…,"i":…}`). */
export const DATA_KEY = 'dlpIncident';

/**
 * Not an incident action: the evidence view's way back to the incident card, redrawn for the clicker alone.
 * Nothing changes and nothing is audited; the verb only needs to differ from every ACTION_IDS value.
 */
export const BACK_VERB = 'dlp.back_to_card';

/** The "Back to the incident" button of a private view about the incident `value` names. */
export const backAction = (value: string): ExecuteAction => execute(BACK_VERB, 'Back to the incident', value);

/** The choice list is a convenience; past this many bytes the email box covers everyone else. */
const CHOICES_BUDGET = 6000;
const EMAIL_MAX = 254;

const title = (label: string) => singleLine(label, TEXT_LIMITS.buttonTitle);

function execute(verb: string, label: string, value: string, style?: Button['style']): ExecuteAction {
  const action: ExecuteAction = { type: 'Action.Execute', title: title(label), verb, data: { [DATA_KEY]: value } };
  if (style === 'primary') action.style = 'positive';
  if (style === 'danger') action.style = 'destructive';
  return action;
}

/** The inline form an `Action.ShowCard` opens: the Playground (and some Teams clients) cannot open dialogs. */
function form(body: CardElement[], actions: CardButton[]): AdaptiveCard {
  return { type: 'AdaptiveCard', body, actions };
}

function analystChoices(analysts: readonly Analyst[]): InputChoiceSet | null {
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
    id: INPUT_IDS.analyst,
    label: 'Assign to an analyst',
    style: 'compact',
    placeholder: 'Choose an analyst',
    choices,
  };
}

function assignForm(b: Button, analysts: readonly Analyst[]): CardButton {
  const choices = analystChoices(analysts);
  const body: CardElement[] = [
    ...(choices ? [choices] : []),
    {
      type: 'Input.Text',
      id: INPUT_IDS.email,
      label: choices ? 'Or type their email' : 'Assign to (email)',
      style: 'email',
      maxLength: EMAIL_MAX,
      placeholder: 'name@example.com',
    },
  ];
  const actions = [
    execute(ACTION_IDS.assign, 'Assign', b.value, 'primary'),
    execute(ACTION_IDS.takeIt, 'Take it', b.value),
  ];
  return { type: 'Action.ShowCard', title: title(b.label), card: form(body, actions) };
}

interface TextFormSpec {
  id: string;
  label: string;
  max: number;
  placeholder: string;
  submit: string;
}

function textForm(b: Button, input: TextFormSpec): CardButton {
  const body: CardElement[] = [
    {
      type: 'Input.Text',
      id: input.id,
      label: input.label,
      isMultiline: true,
      maxLength: input.max,
      placeholder: input.placeholder,
      isRequired: true,
      errorMessage: `Write a ${input.label.toLowerCase()} first (up to ${input.max.toLocaleString('en-US')} characters).`,
    },
  ];
  return {
    type: 'Action.ShowCard',
    title: title(b.label),
    card: form(body, [execute(b.actionId, input.submit, b.value, b.style)]),
  };
}

/** One view button as a card action; null for a link button whose URL is not a usable http(s) URL. */
export function cardButton(b: Button, analysts: readonly Analyst[]): CardButton | null {
  if (b.url) {
    const url = safeUrl(b.url, TEXT_LIMITS.url);
    return url ? { type: 'Action.OpenUrl', title: title(b.label), url } : null;
  }
  switch (b.actionId) {
    case ACTION_IDS.assign:
      return assignForm(b, analysts);
    case ACTION_IDS.addNote:
      return textForm(b, {
        id: INPUT_IDS.note,
        label: 'Note',
        max: TYPED_FIELDS.note.max,
        placeholder: 'What did you find or do?',
        submit: 'Add note',
      });
    case ACTION_IDS.falsePositive:
      return textForm(b, {
        id: INPUT_IDS.reason,
        label: 'Reason',
        max: TYPED_FIELDS.reason.max,
        placeholder: 'Why is this not a real leak?',
        submit: 'Mark false positive',
      });
    default:
      // Take it, View snippets and any future one-click action: the verb is the action id the handler registers.
      return execute(b.actionId, b.label, b.value, b.style);
  }
}

export function actionSet(buttons: readonly Button[], analysts: readonly Analyst[]): ActionSet | null {
  const actions = buttons.flatMap((b) => cardButton(b, analysts) ?? []);
  return actions.length > 0 ? { type: 'ActionSet', actions } : null;
}
