import type { InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { actionModal, readModalState } from '../../../adapters/chat/slack/modals.js';
import type { ActionTable } from '../../../src/ports/actions.js';
import type { ActionForm } from '../../../src/views/form.js';
import { DEFAULT_ACTIONS, REASON_REQUIRED_ACTIONS } from '../../support/actions.js';
import { modalProblems } from './block-kit.js';

const metadata = JSON.stringify({ v: 1, s: 'pan', i: 'INC-7', c: 'C1', m: '1700.1' });
const incidentLine = 'High DLP incident pan:INC-7 · <!channel> *PCI*';

function formOf(actions: ActionTable, id: string): { id: string; form: ActionForm } {
  const form = actions.find(id)?.form;
  if (!form) throw new Error(`${id} has no form`);
  return { id, form };
}
const modalFor = (id: string, actions = DEFAULT_ACTIONS) => actionModal(formOf(actions, id), incidentLine, metadata);
const inputIn = (view: ModalView, blockId: string) =>
  view.blocks.find((b): b is InputBlock => b.type === 'input' && b.block_id === blockId);

describe('the modal drawn from an action form', () => {
  const forms = DEFAULT_ACTIONS.all.filter((a) => a.form).map((a) => a.id);

  it('should draw a form for every action that declares one', () => {
    expect(forms).toEqual(['incident.assign', 'incident.note', 'incident.false_positive']);
  });

  it.each(forms)('should keep the %s modal within Slack limits, under the action id, with its origin', (id) => {
    const view = modalFor(id);
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(view.callback_id).toBe(id);
    expect(view.private_metadata).toBe(metadata);
  });

  it('should show the incident line as plain text, never parsed', () => {
    expect(modalFor('incident.note').blocks[0]).toEqual({
      type: 'section',
      text: { type: 'plain_text', text: incidentLine, emoji: false },
    });
  });

  it('should offer a person picker with "Assign to me" beside it, either one optional', () => {
    const view = modalFor('incident.assign');
    expect(view.title.text).toBe('Assign incident');
    expect(inputIn(view, 'assignee')).toMatchObject({ optional: true, element: { type: 'users_select' } });
    expect(inputIn(view, 'alternative')).toMatchObject({
      label: { text: 'Or take it yourself' },
      element: { type: 'checkboxes', options: [{ text: { text: 'Assign to me' } }] },
    });
  });

  it('should ask for a required note of up to 2,000 characters', () => {
    const view = modalFor('incident.note');
    expect(inputIn(view, 'note')).toMatchObject({
      optional: false,
      hint: { text: 'Up to 2,000 characters.' },
      element: { type: 'plain_text_input', multiline: true, max_length: 2000 },
    });
    expect(view.submit?.text).toBe('Add note');
  });

  it('should confirm a false positive, with the reason optional or required as the config says', () => {
    const optional = modalFor('incident.false_positive');
    expect(optional.blocks[0]).toMatchObject({ text: { text: 'Mark this incident as a false positive?' } });
    expect(optional.submit?.text).toBe('Mark false positive');
    expect(inputIn(optional, 'reason')).toMatchObject({ optional: true, element: { max_length: 1000 } });
    const required = modalFor('incident.false_positive', REASON_REQUIRED_ACTIONS);
    expect(inputIn(required, 'reason')?.optional).toBe(false);
  });

  it('should cut a long title to 24 characters', () => {
    const { id, form } = formOf(DEFAULT_ACTIONS, 'incident.note');
    const view = actionModal({ id, form: { ...form, title: 'Add a note to this incident for the team' } }, 'x', '{}');
    expect(view.title.text).toHaveLength(24);
  });
});

describe('readModalState', () => {
  const { form: assign } = formOf(DEFAULT_ACTIONS, 'incident.assign');
  const { form: note } = formOf(DEFAULT_ACTIONS, 'incident.note');
  const picked = (user: string | null) => ({ assignee: { assignee: { type: 'users_select', selected_user: user } } });
  const ticked = (blockId: string, on: boolean) => ({
    [blockId]: {
      [blockId]: { type: 'checkboxes', selected_options: on ? [{ value: 'yes', text: { text: 'Assign to me' } }] : [] },
    },
  });

  it('should read a picked person and the alternative by field id', () => {
    expect(readModalState(assign, { ...picked('U123'), ...ticked('alternative', false) })).toEqual({
      values: { assignee: ['U123'] },
      alternative: false,
    });
    expect(readModalState(assign, { ...picked(null), ...ticked('alternative', true) })).toEqual({
      values: { assignee: [] },
      alternative: true,
    });
  });

  it('should read typed text raw, leaving the cleaning and the limits to the core', () => {
    const typed = { note: { note: { type: 'plain_text_input', value: '  Looked at it.\n' } } };
    expect(readModalState(note, typed)).toEqual({ values: { note: ['  Looked at it.\n'] }, alternative: false });
  });

  it('should read a form an older release opened, whose elements and checkbox had other ids', () => {
    const old = {
      note: { note_text: { type: 'plain_text_input', value: 'Old form.' } },
    };
    expect(readModalState(note, old).values).toEqual({ note: ['Old form.'] });
    const legacyTick = { ...picked(null), ...ticked('assign_to_me', true) };
    expect(readModalState(assign, legacyTick).alternative).toBe(true);
  });

  it('should read malformed state as empty, without throwing', () => {
    for (const values of [undefined, null, 'x', [], { assignee: 'x' }, { assignee: { assignee: 7 } }]) {
      expect(readModalState(assign, values)).toEqual({ values: { assignee: [] }, alternative: false });
    }
  });
});
