import type { InputBlock, KnownBlock, ModalView, PlainTextElement } from '@slack/types';
import { z } from 'zod';
import type { Action } from '../../../src/ports/actions.js';
import { type ActionForm, type FormField, idsOf } from '../../../src/views/form.js';
import { clip, orDash, SLACK_LIMITS } from './limits.js';
import { contextLine, plain } from './render.js';

/**
 * Triage forms for `views.open`, drawn from the action's declared form: its `callback_id` is the action id, each
 * field is an input block whose `block_id` is the field id (the key `response_action: 'errors'` answers under),
 * and `private_metadata` says which incident and message the form is about.
 */

/** The block of the checkbox that chooses the form's alternative ("Assign to me"). */
const ALTERNATIVE_BLOCK = 'alternative';
const ALTERNATIVE_VALUE = 'yes';

const title = (text: string): PlainTextElement => plain(clip(text, SLACK_LIMITS.modalTitle));
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function fieldBlock(field: FormField, form: ActionForm): InputBlock {
  const common = {
    type: 'input' as const,
    block_id: field.id,
    label: plain(field.label),
    ...(field.kind === 'text' && field.hint ? { hint: plain(field.hint) } : {}),
  };
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder) } : {};
  if (field.kind === 'person') {
    // With an alternative on offer either input may be left empty; the core asks for exactly one of them.
    const optional = !field.required || form.alternative !== undefined;
    return { ...common, optional, element: { type: 'users_select', action_id: field.id, ...placeholder } };
  }
  return {
    ...common,
    optional: !field.required,
    element: {
      type: 'plain_text_input',
      action_id: field.id,
      multiline: field.multiline ?? false,
      max_length: field.max,
      ...placeholder,
    },
  };
}

function alternativeBlocks(form: ActionForm): KnownBlock[] {
  const alternative = form.alternative;
  if (!alternative) return [];
  return [
    {
      type: 'input',
      block_id: ALTERNATIVE_BLOCK,
      label: plain(`Or ${lowerFirst(alternative.label)} yourself`),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: ALTERNATIVE_BLOCK,
        options: [{ text: plain(alternative.check), value: ALTERNATIVE_VALUE }],
      },
    },
    ...(alternative.hint ? [contextLine(alternative.hint)] : []),
  ];
}

/** The modal for an action's form. `incidentLine` is vendor text (`describe`), so it is shown as plain text. */
export function actionModal(
  action: Pick<Action, 'id'> & { form: ActionForm },
  incidentLine: string,
  privateMetadata: string,
): ModalView {
  const { form } = action;
  const blocks: KnownBlock[] = [
    ...(form.confirm ? [{ type: 'section' as const, text: plain(form.confirm) }] : []),
    { type: 'section', text: plain(clip(orDash(incidentLine), SLACK_LIMITS.sectionText)) },
    ...form.fields.map((field) => fieldBlock(field, form)),
    ...alternativeBlocks(form),
  ];
  return {
    type: 'modal',
    callback_id: action.id,
    title: title(form.title),
    close: title('Cancel'),
    submit: title(form.submit),
    blocks,
    private_metadata: privateMetadata,
  };
}

const StateValues = z.record(z.string(), z.record(z.string(), z.unknown()));
/** The parts of an element's state a form uses: typed text, a picked user, ticked boxes. */
const ElementState = z.looseObject({
  value: z.string().nullish(),
  selected_user: z.string().nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).nullish(),
});
type ElementState = z.infer<typeof ElementState>;

/** What a submitted form holds, by field id, raw: the core reads and checks it. */
export interface ModalState {
  values: Record<string, string[]>;
  alternative: boolean;
}

/**
 * `view.state.values` by field id. Every element of a field's block is read (a form opened by an older release
 * named its elements differently, and its blocks by the field's legacy ids); anything malformed reads as empty.
 */
export function readModalState(form: ActionForm, raw: unknown): ModalState {
  const parsed = StateValues.safeParse(raw);
  const state = parsed.success ? parsed.data : {};
  const elements = (blockIds: readonly string[]): ElementState[] =>
    blockIds.flatMap((blockId) =>
      Object.values(state[blockId] ?? {}).flatMap((element) => {
        const read = ElementState.safeParse(element);
        return read.success ? [read.data] : [];
      }),
    );
  const values = Object.fromEntries(
    form.fields.map((field) => [
      field.id,
      elements(idsOf(field)).flatMap((e) => [e.value, e.selected_user].filter((v) => typeof v === 'string')),
    ]),
  );
  const alternativeIds = [ALTERNATIVE_BLOCK, ...(form.alternative?.legacyIds ?? [])];
  const alternative =
    form.alternative !== undefined && elements(alternativeIds).some((e) => (e.selected_options ?? []).length > 0);
  return { values, alternative };
}
