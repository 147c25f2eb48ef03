import { z } from 'zod';
import type { IncidentKey } from '../../../../src/domain/incident.js';
import { MAX_NOTE_LENGTH } from '../../../../src/store/index.js';
import { ACTION_IDS } from '../../../../src/triage/action-ids.js';
import { charCount } from '../../../../src/triage/action-spec.js';
import { type ButtonTarget, type CardKind, decodeButtonTarget } from '../../../../src/triage/button-value.js';
import { MAX_REASON_LENGTH } from '../../../../src/triage/false-positive.js';
import { DATA_KEY, INPUT_IDS } from './buttons.js';

/**
 * A card click, in the platform-neutral terms the triage handlers take, and the kind of card it came from
 * (`card`, null for the plain incident card) so a redraw for the clicker draws the same kind.
 */
export type CardAction = { key: IncidentKey; card: CardKind | null } & (
  | { action: 'take' }
  | { action: 'assign'; email: string }
  | { action: 'note'; text: string }
  | { action: 'false_positive'; reason: string }
  | { action: 'snippets' }
  | { action: 'snooze'; hours: 1 | 4 }
);

/**
 * A real click on one of our cards whose typed input cannot be used (an empty note, a reason too long, an
 * email that is not one). Show `text` to the clicker (it is written for them) and audit the attempt as
 * invalid; `field` names the input it is about. Nothing else may happen.
 */
export interface InvalidCardAction {
  kind: 'invalid';
  key: IncidentKey;
  action: CardAction['action'];
  text: string;
  field: 'email' | 'note' | 'reason';
}

export type ParsedCardAction = CardAction | InvalidCardAction;

/** Bounds the work on a hostile payload; a person's honest over-long note is answered with a count instead. */
const RAW_MAX = 100_000;
const Input = z.string().max(RAW_MAX).optional();
const Data = z.looseObject({
  [DATA_KEY]: z.string().max(1000),
  [INPUT_IDS.analyst]: Input,
  [INPUT_IDS.email]: Input,
  [INPUT_IDS.note]: Input,
  [INPUT_IDS.reason]: Input,
});
type Data = z.infer<typeof Data>;
const Email = z.email().max(254);

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Parses an `adaptiveCard/action` invoke (`value.action.verb`, `value.action.data`) from a card this renderer
 * made. Returns:
 * - a {@link CardAction} to run;
 * - an {@link InvalidCardAction} (`kind: 'invalid'`) when the person typed something unusable: reply with its
 *   `text` privately, e.g. "Write a note before saving.";
 * - `null` when the invoke is not one of ours or was tampered with (unknown verb, data not an object,
 *   a missing or malformed incident key, an input that is not a string or is over 100,000 characters).
 *   Answer it with a generic error; there is nothing the person can fix.
 */
export function parseCardAction(verb: string, data: unknown): ParsedCardAction | null {
  const parsed = Data.safeParse(data);
  if (!parsed.success) return null;
  const target = decodeButtonTarget(parsed.data[DATA_KEY]);
  if (!target) return null;
  return actionOf(verb, target, parsed.data);
}

/**
 * The incident a click's data names (any of our buttons) and the kind of card the button was on, or null when
 * it names none or was tampered with.
 */
export function parseCardTarget(data: unknown): ButtonTarget | null {
  const parsed = Data.safeParse(data);
  return parsed.success ? decodeButtonTarget(parsed.data[DATA_KEY]) : null;
}

function actionOf(verb: string, on: ButtonTarget, data: Data): ParsedCardAction | null {
  switch (verb) {
    case ACTION_IDS.takeIt:
      return { ...on, action: 'take' };
    case ACTION_IDS.viewSnippets:
      return { ...on, action: 'snippets' };
    case ACTION_IDS.snooze1h:
      return { ...on, action: 'snooze', hours: 1 };
    case ACTION_IDS.snooze4h:
      return { ...on, action: 'snooze', hours: 4 };
    case ACTION_IDS.assign:
      return assignee(on, data);
    case ACTION_IDS.addNote:
      return note(on, data[INPUT_IDS.note]);
    case ACTION_IDS.falsePositive:
      return reason(on, data[INPUT_IDS.reason]);
    default:
      return null;
  }
}

function assignee(on: ButtonTarget, data: Data): ParsedCardAction {
  const { key } = on;
  const picked = data[INPUT_IDS.analyst]?.trim() ?? '';
  const typed = data[INPUT_IDS.email]?.trim() ?? '';
  const invalid = (text: string): InvalidCardAction => ({
    kind: 'invalid',
    key,
    action: 'assign',
    text,
    field: 'email',
  });
  if (picked && typed && picked.toLowerCase() !== typed.toLowerCase()) {
    return invalid('Choose an analyst or type an email, not both.');
  }
  const email = typed || picked;
  if (!email) return invalid('Choose an analyst or type the email of the person who should own this incident.');
  if (!Email.safeParse(email).success) return invalid('That is not an email address; type one like name@example.com.');
  return { ...on, action: 'assign', email };
}

function note(on: ButtonTarget, raw: string | undefined): ParsedCardAction {
  const { key } = on;
  const text = raw?.trim() ?? '';
  const length = charCount(text);
  const invalid = (message: string): InvalidCardAction => ({
    kind: 'invalid',
    key,
    action: 'note',
    text: message,
    field: 'note',
  });
  if (length === 0) return invalid('The note is empty. Write a note before saving.');
  if (length > MAX_NOTE_LENGTH) {
    return invalid(`Keep the note to ${count(MAX_NOTE_LENGTH)} characters (it has ${count(length)}).`);
  }
  return { ...on, action: 'note', text };
}

function reason(on: ButtonTarget, raw: string | undefined): ParsedCardAction {
  const { key } = on;
  const text = raw?.trim() ?? '';
  const length = charCount(text);
  const invalid = (message: string): InvalidCardAction => ({
    kind: 'invalid',
    key,
    action: 'false_positive',
    text: message,
    field: 'reason',
  });
  if (length === 0) return invalid('The reason is empty. Say why this is not a real leak.');
  if (length > MAX_REASON_LENGTH) {
    return invalid(`Keep the reason to ${count(MAX_REASON_LENGTH)} characters (it has ${count(length)}).`);
  }
  return { ...on, action: 'false_positive', reason: text };
}
