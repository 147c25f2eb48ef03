import { z } from 'zod';
import type { IncidentKey } from '../../../../src/domain/incident.js';
import { ACTION_IDS } from '../../../../src/triage/action-ids.js';
import { type ButtonTarget, type CardKind, decodeButtonTarget } from '../../../../src/triage/button-value.js';
import { readTypedText } from '../../../../src/triage/typed-text.js';
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
  card: CardKind | null;
  action: CardAction['action'];
  text: string;
  field: 'email' | 'note' | 'reason';
  /** What was wrong, for the audit row (`failed`, `invalid: <problem>`); never the typed text. */
  problem: 'empty' | 'too_long' | 'not_an_email' | 'ambiguous';
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
  const picked = data[INPUT_IDS.analyst]?.trim() ?? '';
  const typed = data[INPUT_IDS.email]?.trim() ?? '';
  const invalid = (text: string, problem: InvalidCardAction['problem']): InvalidCardAction => ({
    kind: 'invalid',
    ...on,
    action: 'assign',
    text,
    field: 'email',
    problem,
  });
  if (picked && typed && picked.toLowerCase() !== typed.toLowerCase()) {
    return invalid('Choose an analyst or type an email, not both.', 'ambiguous');
  }
  const email = typed || picked;
  if (!email) {
    return invalid('Choose an analyst or type the email of the person who should own this incident.', 'empty');
  }
  if (!Email.safeParse(email).success) {
    return invalid('That is not an email address; type one like name@example.com.', 'not_an_email');
  }
  return { ...on, action: 'assign', email };
}

function note(on: ButtonTarget, raw: string | undefined): ParsedCardAction {
  const typed = readTypedText('note', raw);
  if (!typed.ok) return { ...typedInvalid(on, 'note', typed), action: 'note', field: 'note' };
  return { ...on, action: 'note', text: typed.text };
}

/** The card's form marks the reason required, so an empty one is refused here like an empty note. */
function reason(on: ButtonTarget, raw: string | undefined): ParsedCardAction {
  const typed = readTypedText('reason', raw, true);
  if (!typed.ok) return { ...typedInvalid(on, 'reason', typed), action: 'false_positive', field: 'reason' };
  return { ...on, action: 'false_positive', reason: typed.text };
}

function typedInvalid(
  on: ButtonTarget,
  field: 'note' | 'reason',
  typed: Extract<ReturnType<typeof readTypedText>, { ok: false }>,
): Omit<InvalidCardAction, 'action'> {
  return { kind: 'invalid', ...on, text: typed.message, field, problem: typed.problem };
}
