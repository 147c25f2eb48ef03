import type { InputBlock, KnownBlock, ModalView, PlainTextElement } from '@slack/types';
import { z } from 'zod';
import type { IncidentKey } from '../../../src/domain/incident.js';
import { ok } from '../../../src/domain/result.js';
import { encodeButtonValue } from '../../../src/triage/button-value.js';
import { readTypedText, TYPED_FIELDS } from '../../../src/triage/typed-text.js';
import { clip, orDash, SLACK_LIMITS } from './limits.js';
import { contextLine, plain } from './render.js';

/**
 * Triage forms for `views.open`. Each carries the incident as `private_metadata` (the same `{v,s,i}` JSON as the
 * button that opened it, decoded with `decodeButtonValue`) and is routed by its `callback_id`.
 */
export const MODAL_CALLBACK_IDS = {
  assign: 'dlp.modal.assign',
  note: 'dlp.modal.note',
  falsePositive: 'dlp.modal.false_positive',
  loading: 'dlp.modal.loading',
} as const;

/**
 * Input block and element ids: `view.state.values[blockId][actionId]`, and the keys of `response_action: 'errors'`.
 * They avoid the `dlp.` prefix of the message buttons so prefix-matched action handlers never see them.
 */
export const MODAL_INPUTS = {
  assignee: { blockId: 'assignee', actionId: 'assignee_select' },
  assignToMe: { blockId: 'assign_to_me', actionId: 'assign_to_me_check' },
  note: { blockId: 'note', actionId: 'note_text' },
  reason: { blockId: 'reason', actionId: 'reason_text' },
} as const;

export const NOTE_MAX = TYPED_FIELDS.note.max;
export const REASON_MAX = TYPED_FIELDS.reason.max;
const ASSIGN_TO_ME = 'me';

export interface ModalInput {
  key: IncidentKey;
  /** One line naming the incident (`InboundHandlers.describe`); vendor text, so shown as plain text. */
  incidentLine: string;
}

const label = (text: string): PlainTextElement => plain(clip(text, SLACK_LIMITS.modalTitle));

function modal(callbackId: string, title: string, key: IncidentKey | null, blocks: KnownBlock[], submit?: string) {
  const view: ModalView = {
    type: 'modal',
    callback_id: callbackId,
    title: label(title),
    close: label('Cancel'),
    blocks,
  };
  if (submit) view.submit = label(submit);
  // A ButtonValue is at most 64 + 256 characters, escaped at most 6× by JSON: always under 3000.
  if (key) view.private_metadata = encodeButtonValue(key);
  return view;
}

const incidentSection = (line: string): KnownBlock => ({
  type: 'section',
  text: plain(clip(orDash(line), SLACK_LIMITS.sectionText)),
});

interface TextInputSpec {
  label: string;
  max: number;
  optional: boolean;
  placeholder?: string;
  hint?: string;
}

function textInput(input: { blockId: string; actionId: string }, spec: TextInputSpec): InputBlock {
  return {
    type: 'input',
    block_id: input.blockId,
    label: plain(spec.label),
    optional: spec.optional,
    ...(spec.hint ? { hint: plain(spec.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: input.actionId,
      multiline: true,
      max_length: spec.max,
      ...(spec.placeholder ? { placeholder: plain(spec.placeholder) } : {}),
    },
  };
}

export function assignModal({ key, incidentLine, canTakeIt }: ModalInput & { canTakeIt: boolean }): ModalView {
  const blocks: KnownBlock[] = [
    incidentSection(incidentLine),
    {
      type: 'input',
      block_id: MODAL_INPUTS.assignee.blockId,
      label: plain('Assign to'),
      // With "Assign to me" on offer either input may be left empty; the parser asks for exactly one.
      optional: canTakeIt,
      element: {
        type: 'users_select',
        action_id: MODAL_INPUTS.assignee.actionId,
        placeholder: plain('Choose a person'),
      },
    },
  ];
  if (canTakeIt) {
    blocks.push(
      {
        type: 'input',
        block_id: MODAL_INPUTS.assignToMe.blockId,
        label: plain('Or take it yourself'),
        optional: true,
        element: {
          type: 'checkboxes',
          action_id: MODAL_INPUTS.assignToMe.actionId,
          options: [{ text: plain('Assign to me'), value: ASSIGN_TO_ME }],
        },
      },
      contextLine('“Assign to me” does what Take it does: the incident becomes yours.'),
    );
  }
  return modal(MODAL_CALLBACK_IDS.assign, 'Assign incident', key, blocks, 'Assign');
}

export function noteModal({ key, incidentLine }: ModalInput): ModalView {
  const input = textInput(MODAL_INPUTS.note, {
    label: 'Note',
    max: NOTE_MAX,
    optional: false,
    placeholder: 'What did you find or do?',
    hint: 'Up to 2,000 characters.',
  });
  return modal(MODAL_CALLBACK_IDS.note, 'Add note', key, [incidentSection(incidentLine), input], 'Add note');
}

export function falsePositiveModal({ key, incidentLine }: ModalInput): ModalView {
  const blocks: KnownBlock[] = [
    { type: 'section', text: plain('Mark this incident as a false positive?') },
    incidentSection(incidentLine),
    textInput(MODAL_INPUTS.reason, {
      label: 'Reason',
      max: REASON_MAX,
      optional: true,
      placeholder: 'Why is this not a real leak?',
    }),
  ];
  return modal(MODAL_CALLBACK_IDS.falsePositive, 'False positive', key, blocks, 'Mark false positive');
}

/** Opened at once with the `trigger_id` (it expires in 3 s); `views.update` fills in the real form afterwards. */
export function loadingModal(title: string): ModalView {
  return modal(MODAL_CALLBACK_IDS.loading, title, null, [{ type: 'section', text: plain('Loading…') }]);
}

/**
 * A submission: the typed input, or messages keyed by input `block_id` for `ack({ response_action: 'errors' })`
 * with what was wrong (`problem`) for the audit row, which never holds the typed text.
 */
export type Submission<T> = { ok: true; value: T } | { ok: false; error: Record<string, string>; problem: string };
const refused = (blockId: string, message: string, problem: string) =>
  ({ ok: false, error: { [blockId]: message }, problem }) as const;
export type AssignSubmission = { action: 'take' } | { action: 'assign'; userId: string };

const StateValues = z.record(z.string(), z.record(z.string(), z.unknown()));
const UsersSelectState = z.looseObject({
  selected_user: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/)
    .nullish(),
});
const TextState = z.looseObject({ value: z.string().nullish() });
const CheckboxesState = z.looseObject({ selected_options: z.array(z.looseObject({ value: z.string() })).nullish() });

/** One element's state, or undefined when the form, block or element is missing or malformed. */
function stateOf<S extends z.ZodType>(values: unknown, input: { blockId: string; actionId: string }, schema: S) {
  const all = StateValues.safeParse(values);
  const parsed = schema.safeParse(all.success ? all.data[input.blockId]?.[input.actionId] : undefined);
  return parsed.success ? (parsed.data as z.infer<S>) : undefined;
}

export function parseAssignSubmission(values: unknown): Submission<AssignSubmission> {
  const user = stateOf(values, MODAL_INPUTS.assignee, UsersSelectState)?.selected_user ?? null;
  const options = stateOf(values, MODAL_INPUTS.assignToMe, CheckboxesState)?.selected_options ?? [];
  const me = options.some((o) => o.value === ASSIGN_TO_ME);
  const blockId = MODAL_INPUTS.assignee.blockId;
  if (user && me) return refused(blockId, 'Choose a person or tick “Assign to me”, not both.', 'ambiguous');
  if (me) return ok({ action: 'take' });
  if (user) return ok({ action: 'assign', userId: user });
  return refused(blockId, 'Choose who should own this incident.', 'empty');
}

export function parseNoteSubmission(values: unknown): Submission<{ text: string }> {
  const typed = readTypedText('note', stateOf(values, MODAL_INPUTS.note, TextState)?.value);
  if (!typed.ok) return refused(MODAL_INPUTS.note.blockId, typed.message, typed.problem);
  return ok({ text: typed.text });
}

export function parseFalsePositiveSubmission(values: unknown): Submission<{ reason: string }> {
  const typed = readTypedText('reason', stateOf(values, MODAL_INPUTS.reason, TextState)?.value);
  if (!typed.ok) return refused(MODAL_INPUTS.reason.blockId, typed.message, typed.problem);
  return ok({ reason: typed.text });
}
