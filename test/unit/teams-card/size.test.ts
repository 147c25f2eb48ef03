import { describe, expect, it } from 'vitest';
import type { InputChoiceSet } from '../../../adapters/chat/teams/card/index.js';
import {
  CARD_BUDGET_BYTES,
  cardBytes,
  renderCard,
  renderPrivateCard,
  SHORTENED_NOTICE,
  TABLE_MAX_ROWS,
} from '../../../adapters/chat/teams/card/index.js';
import { LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { Block, View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { cells, executes, expectSendable, ofType, runTexts, textOf } from './card-query.js';

const formOf = (id: string) => DEFAULT_ACTIONS.find(id)?.form;

const VALUE = '{"v":1,"s":"pan","i":"7"}';
const BUTTONS: Block = {
  type: 'actions',
  buttons: [
    { actionId: 'incident.take', label: 'Take it', value: VALUE },
    { actionId: 'incident.assign', label: 'Assign', value: VALUE, form: formOf('incident.assign') },
    { actionId: 'incident.note', label: 'Add note', value: VALUE, form: formOf('incident.note') },
  ],
};

function tableView(rows: number, cell: (i: number) => string): View {
  return {
    title: 'Aging',
    tone: 'warning',
    blocks: [
      {
        type: 'table',
        columns: [
          { key: 'id', label: 'Incident' },
          { key: 'note', label: 'Note' },
        ],
        rows: Array.from({ length: rows }, (_, i) => ({ id: `pan:${i}`, note: cell(i) })),
      },
    ],
  };
}

describe('Teams card size', () => {
  it('should show the first rows of a 10,000-row table and say how many more there are', () => {
    const card = renderCard(tableView(10_000, (i) => `note ${i}`));
    expectSendable(card);
    const rows = card.body.filter((e) => e.type === 'ColumnSet');
    expect(rows).toHaveLength(1 + TABLE_MAX_ROWS);
    expect(cells(rows[1])).toEqual(['pan:0', 'note 0']);
    expect(textOf(card.body.at(-1))).toBe('… and 9,980 more');
    expect(runTexts(card)).not.toContain(SHORTENED_NOTICE);
  });

  it('should stay within the budget with 10,000 rows of 5,000-character cells', () => {
    const card = renderCard(tableView(10_000, () => LONG_HOSTILE_NAME));
    expectSendable(card);
    expect(textOf(card.body.at(-1))).toBe('… and 9,980 more');
  });

  it('should cut an oversized view from the bottom with a visible notice, keeping every button', () => {
    const view: View = {
      title: 'Huge',
      tone: 'danger',
      blocks: [
        {
          type: 'fields',
          fields: Array.from({ length: 500 }, (_, i) => ({ label: `F${i}`, value: LONG_HOSTILE_NAME })),
        },
        BUTTONS,
      ],
    };
    const card = renderCard(view, { analysts: [{ display: 'Alice', email: 'alice@corp.example' }] });
    expectSendable(card);
    expect(cardBytes(card)).toBeGreaterThan(CARD_BUDGET_BYTES / 2); // it used the room it had
    expect(card.body.map((e) => e.type).slice(-2)).toEqual(['RichTextBlock', 'ActionSet']);
    expect(textOf(card.body.at(-2))).toBe(SHORTENED_NOTICE);
    expect(executes(card).map((a) => a.verb)).toEqual([
      'incident.take',
      'incident.assign',
      'incident.take',
      'incident.note',
    ]);
    expect(cells(card.body[1])).toEqual(['F0', expect.stringMatching(/^long-name-.*…$/)]);
  });

  it('should keep a megabyte of text within the budget, private cards too', () => {
    const text = `${'line of vendor text '.repeat(40)}\n`.repeat(1300);
    for (const card of [
      renderCard({ title: 't', tone: 'neutral', blocks: [{ type: 'text', text }] }),
      renderPrivateCard({ title: 't', tone: 'neutral', blocks: [{ type: 'text', text }] }),
    ]) {
      expectSendable(card);
      expect(textOf(card.body.at(-1))).toBe(SHORTENED_NOTICE);
    }
  });

  it('should offer as many analysts as fit and leave the rest to the email box', () => {
    const analysts = Array.from({ length: 2000 }, (_, i) => ({
      display: `Analyst number ${i} ${'x'.repeat(100)}`,
      email: `analyst.${i}@corp.example`,
    }));
    const card = renderCard({ title: 't', tone: 'neutral', blocks: [BUTTONS] }, { analysts });
    expectSendable(card);
    const choices = ofType<InputChoiceSet>(card, 'Input.ChoiceSet')[0]?.choices ?? [];
    expect(choices.length).toBeGreaterThan(10);
    expect(choices.length).toBeLessThan(2000);
    expect(choices[0]?.value).toBe('analyst.0@corp.example');
    expect(ofType(card, 'Input.Text').map((i) => (i as { id: string }).id)).toContain('assigneeEmail');
    expect(runTexts(card)).not.toContain(SHORTENED_NOTICE);
  });

  it('should leave out an analyst whose address would break the choice list', () => {
    const card = renderCard(
      { title: 't', tone: 'neutral', blocks: [BUTTONS] },
      { analysts: [{ display: 'Odd', email: 'a,b@corp.example' }] },
    );
    expect(ofType(card, 'Input.ChoiceSet')).toEqual([]);
    expectSendable(card);
  });
});
