import type { InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  assignModal,
  falsePositiveModal,
  loadingModal,
  MODAL_CALLBACK_IDS,
  MODAL_INPUTS,
  noteModal,
  parseAssignSubmission,
  parseFalsePositiveSubmission,
  parseNoteSubmission,
} from '../../../adapters/chat/slack/modals.js';
import { decodeButtonValue } from '../../../src/triage/button-value.js';
import { modalProblems } from './block-kit.js';

const key = { source: 'pan', id: 'INC-7' };
const incidentLine = 'High DLP incident pan:INC-7 · <!channel> *PCI*';

const inputs = (view: ModalView) => view.blocks.filter((b): b is InputBlock => b.type === 'input');
const inputIn = (view: ModalView, blockId: string) => inputs(view).find((b) => b.block_id === blockId);

/** `view.state.values` as Slack sends it on view_submission. */
const state = (entries: Record<string, Record<string, unknown>>) => entries;
const text = (input: { blockId: string; actionId: string }, value: string | null) =>
  state({ [input.blockId]: { [input.actionId]: { type: 'plain_text_input', value } } });

describe('modals', () => {
  const all: [string, ModalView][] = [
    ['assign (can take it)', assignModal({ key, incidentLine, canTakeIt: true })],
    ['assign (cannot take it)', assignModal({ key, incidentLine, canTakeIt: false })],
    ['note', noteModal({ key, incidentLine })],
    ['false positive', falsePositiveModal({ key, incidentLine })],
    ['loading', loadingModal('Assign incident to someone on the team')],
  ];

  it.each(all)('should keep the %s modal within Slack limits', (_, view) => {
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('should give each form its callback id and the incident as private_metadata', () => {
    const forms = all.slice(0, 4).map(([, view]) => view);
    expect(forms.map((v) => v.callback_id)).toEqual([
      MODAL_CALLBACK_IDS.assign,
      MODAL_CALLBACK_IDS.assign,
      MODAL_CALLBACK_IDS.note,
      MODAL_CALLBACK_IDS.falsePositive,
    ]);
    for (const view of forms) {
      expect(JSON.parse(view.private_metadata ?? '')).toStrictEqual({ v: 1, s: 'pan', i: 'INC-7' });
      expect(decodeButtonValue(view.private_metadata ?? '')).toEqual(key);
    }
    expect(new Set(Object.values(MODAL_CALLBACK_IDS)).size).toBe(Object.values(MODAL_CALLBACK_IDS).length);
  });

  it('should fit the largest possible incident key in private_metadata', () => {
    const big = { source: '"'.repeat(64), id: '\u0001'.repeat(256) };
    const view = noteModal({ key: big, incidentLine: 'x'.repeat(5_000) });
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(decodeButtonValue(view.private_metadata ?? '')).toEqual(big);
  });

  it('should show the incident line as plain text, never parsed', () => {
    const view = noteModal({ key, incidentLine });
    expect(view.blocks[0]).toEqual({ type: 'section', text: { type: 'plain_text', text: incidentLine, emoji: false } });
  });

  it('should offer a person picker, and "Assign to me" only to someone who can take it', () => {
    const can = assignModal({ key, incidentLine, canTakeIt: true });
    const cannot = assignModal({ key, incidentLine, canTakeIt: false });

    expect(can.title.text).toBe('Assign incident');
    expect(inputIn(can, MODAL_INPUTS.assignee.blockId)).toMatchObject({
      optional: true,
      element: { type: 'users_select', action_id: MODAL_INPUTS.assignee.actionId },
    });
    expect(inputIn(can, MODAL_INPUTS.assignToMe.blockId)?.element).toMatchObject({
      type: 'checkboxes',
      action_id: MODAL_INPUTS.assignToMe.actionId,
      options: [{ text: { text: 'Assign to me' } }],
    });
    expect(inputIn(cannot, MODAL_INPUTS.assignee.blockId)?.optional).toBe(false);
    expect(inputIn(cannot, MODAL_INPUTS.assignToMe.blockId)).toBeUndefined();
  });

  it('should ask for a required note of up to 2,000 characters', () => {
    const view = noteModal({ key, incidentLine });
    expect(inputIn(view, MODAL_INPUTS.note.blockId)).toMatchObject({
      optional: false,
      element: { type: 'plain_text_input', multiline: true, max_length: 2000 },
    });
    expect(view.submit?.text).toBe('Add note');
  });

  it('should confirm a false positive with an optional reason of up to 1,000 characters', () => {
    const view = falsePositiveModal({ key, incidentLine });
    expect(view.submit?.text).toBe('Mark false positive');
    expect(inputIn(view, MODAL_INPUTS.reason.blockId)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', max_length: 1000 },
    });
  });

  it('should open a loading modal with no submit and a title cut to 24 characters', () => {
    const view = loadingModal('Assign incident to someone on the team');
    expect(view.callback_id).toBe(MODAL_CALLBACK_IDS.loading);
    expect(view.title.text).toHaveLength(24);
    expect(view).not.toHaveProperty('submit');
    expect(view).not.toHaveProperty('private_metadata');
  });
});

describe('parseAssignSubmission', () => {
  const picked = (user: string | null) =>
    state({
      [MODAL_INPUTS.assignee.blockId]: {
        [MODAL_INPUTS.assignee.actionId]: { type: 'users_select', selected_user: user },
      },
    });
  const me = (checked: boolean) =>
    state({
      [MODAL_INPUTS.assignToMe.blockId]: {
        [MODAL_INPUTS.assignToMe.actionId]: {
          type: 'checkboxes',
          selected_options: checked ? [{ text: { type: 'plain_text', text: 'Assign to me' }, value: 'me' }] : [],
        },
      },
    });

  it('should accept a chosen person', () => {
    expect(parseAssignSubmission(picked('U123ABC'))).toEqual({
      ok: true,
      value: { action: 'assign', userId: 'U123ABC' },
    });
    expect(parseAssignSubmission({ ...picked('W0ENTERPRISE'), ...me(false) })).toEqual({
      ok: true,
      value: { action: 'assign', userId: 'W0ENTERPRISE' },
    });
  });

  it('should turn "Assign to me" into taking it', () => {
    expect(parseAssignSubmission({ ...picked(null), ...me(true) })).toEqual({ ok: true, value: { action: 'take' } });
  });

  it('should ask for a choice when there is none, and for one choice when there are two', () => {
    const blockId = MODAL_INPUTS.assignee.blockId;
    const none = parseAssignSubmission({ ...picked(null), ...me(false) });
    const both = parseAssignSubmission({ ...picked('U1'), ...me(true) });
    expect(none.ok ? null : Object.keys(none.error)).toEqual([blockId]);
    expect(both.ok ? null : both.error[blockId]).toMatch(/not both/);
  });

  it('should refuse malformed input without throwing', () => {
    for (const values of [undefined, null, 'x', [], { assignee: 'x' }, picked('<!channel>'), picked('')]) {
      const result = parseAssignSubmission(values);
      expect(result.ok).toBe(false);
      expect(result.ok ? null : Object.keys(result.error)).toEqual([MODAL_INPUTS.assignee.blockId]);
    }
  });
});

describe('parseNoteSubmission', () => {
  it('should accept a note and trim it', () => {
    expect(parseNoteSubmission(text(MODAL_INPUTS.note, '  Looked at it.\n'))).toEqual({
      ok: true,
      value: { text: 'Looked at it.' },
    });
  });

  it('should accept exactly 2,000 characters, counting an emoji as one', () => {
    expect(parseNoteSubmission(text(MODAL_INPUTS.note, 'n'.repeat(2_000))).ok).toBe(true);
    expect(parseNoteSubmission(text(MODAL_INPUTS.note, '😀'.repeat(2_000))).ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['missing', null],
    ['too long', 'n'.repeat(2_001)],
  ])('should return a field error for a %s note', (_, value) => {
    const result = parseNoteSubmission(text(MODAL_INPUTS.note, value));
    expect(result.ok).toBe(false);
    expect(result.ok ? null : Object.keys(result.error)).toEqual([MODAL_INPUTS.note.blockId]);
  });

  it('should say how long a too-long note is', () => {
    const result = parseNoteSubmission(text(MODAL_INPUTS.note, 'n'.repeat(2_345)));
    expect(result.ok ? null : result.error[MODAL_INPUTS.note.blockId]).toMatch(/2,000 characters \(it has 2,345\)/);
  });
});

describe('parseFalsePositiveSubmission', () => {
  it('should accept no reason, or a reason of up to 1,000 characters', () => {
    expect(parseFalsePositiveSubmission(text(MODAL_INPUTS.reason, null))).toEqual({ ok: true, value: { reason: '' } });
    expect(parseFalsePositiveSubmission({})).toEqual({ ok: true, value: { reason: '' } });
    expect(parseFalsePositiveSubmission(text(MODAL_INPUTS.reason, ' Test data. '))).toEqual({
      ok: true,
      value: { reason: 'Test data.' },
    });
    expect(parseFalsePositiveSubmission(text(MODAL_INPUTS.reason, 'r'.repeat(1_000))).ok).toBe(true);
  });

  it('should return a field error for a reason over 1,000 characters', () => {
    const result = parseFalsePositiveSubmission(text(MODAL_INPUTS.reason, 'r'.repeat(1_001)));
    expect(result.ok ? null : Object.keys(result.error)).toEqual([MODAL_INPUTS.reason.blockId]);
  });
});
