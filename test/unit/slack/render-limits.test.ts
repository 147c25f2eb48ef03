import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMessage, SHORTENED_NOTICE } from '../../../adapters/chat/slack/render.js';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { Block, Button, View } from '../../../src/views/view.js';
import { expectInert, messageProblems, ofType, totalText } from './block-kit.js';

const HUGE = 'x'.repeat(5_000);
const LINK = 'https://console.example/incidents/1?tab=a&b=c';

const buttons = (n: number, sameId = false): Button[] =>
  Array.from({ length: n }, (_, i) => ({
    actionId: sameId ? 'dlp.assign' : `dlp.b${i}`,
    label: `B${i}`,
    value: `${i}`,
  }));

describe('renderMessage: size', () => {
  it('should fit 5,000-character strings everywhere', () => {
    const view: View = {
      title: LONG_HOSTILE_NAME,
      tone: 'warning',
      blocks: [
        { type: 'header', text: HUGE },
        {
          type: 'fields',
          fields: Array.from({ length: 12 }, () => ({ label: HUGE, value: HUGE, url: `${LINK}${HUGE}` })),
        },
        { type: 'context', text: HUGE },
        { type: 'table', columns: [{ key: 'a', label: HUGE }], rows: [{ a: HUGE }] },
        { type: 'actions', buttons: [{ actionId: HUGE, label: HUGE, value: HUGE, url: `${LINK}${HUGE}` }] },
      ],
    };
    const message = renderMessage(view);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should split 40 buttons over actions blocks of at most 25', () => {
    const { blocks } = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [{ type: 'actions', buttons: buttons(40) }],
    });
    expect(ofType(blocks, 'actions').map((a) => a.elements.length)).toEqual([25, 15]);
  });

  it('should start a new actions block rather than repeat an action_id in one', () => {
    const message = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [{ type: 'actions', buttons: buttons(3, true) }],
    });
    expect(ofType(message.blocks, 'actions').map((a) => a.elements.length)).toEqual([1, 1, 1]);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should split long text into sections and many fields into sections of 10', () => {
    const text = `${'word '.repeat(1_000)}`;
    const message = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [
        { type: 'text', text },
        { type: 'fields', fields: Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: `V${i}` })) },
      ],
    });
    const sections = ofType(message.blocks, 'section');
    expect(
      sections
        .filter((s) => s.text)
        .map((s) => s.text?.text ?? '')
        .join(''),
    ).toBe(text);
    expect(sections.filter((s) => s.fields).map((s) => s.fields?.length)).toEqual([10, 10, 4]);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should cut a view over 50 blocks and end with a notice', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => ({ type: 'context', text: `c${i}` }));
    const message = renderMessage({ title: 't', tone: 'neutral', blocks });
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'plain_text', text: SHORTENED_NOTICE, emoji: false }],
    });
    expect(message.blocks[48]).toMatchObject({ elements: [{ text: 'c47' }] });
  });

  it('should cut a view whose text would pass the total budget', () => {
    const message = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [{ type: 'text', text: 'y'.repeat(50_000) }],
    });
    // The header, three full sections and the notice: a fourth section would pass 12,000 characters.
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(totalText(message.blocks)).toBeLessThanOrEqual(12_000);
    expect(message.blocks.at(-1)).toMatchObject({ elements: [{ text: SHORTENED_NOTICE }] });
    expect(messageProblems(message)).toEqual([]);
  });

  it('should keep exactly 50 blocks without a notice', () => {
    const blocks: Block[] = Array.from({ length: 49 }, () => ({ type: 'divider' }));
    const message = renderMessage({ title: 't', tone: 'neutral', blocks });
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks.at(-1)).toEqual({ type: 'divider' });
  });
});

describe('renderMessage: any view', () => {
  const text = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom(...HOSTILE_STRINGS, HUGE, '', ' '));
  const block: fc.Arbitrary<Block> = fc.oneof(
    fc.record({ type: fc.constant('header' as const), text }),
    fc.record({ type: fc.constant('text' as const), text }),
    fc.record({ type: fc.constant('context' as const), text }),
    fc.constant({ type: 'divider' as const }),
    fc.record({
      type: fc.constant('fields' as const),
      fields: fc.array(fc.record({ label: text, value: text, url: fc.option(fc.webUrl(), { nil: undefined }) }), {
        maxLength: 30,
      }),
    }),
    fc.record({
      type: fc.constant('actions' as const),
      buttons: fc.array(
        fc.record({
          actionId: fc.constantFrom('dlp.assign', 'dlp.note', 'dlp.open', 'dlp.take'),
          label: text,
          value: text,
          url: fc.option(fc.webUrl(), { nil: undefined }),
        }),
        { maxLength: 40 },
      ),
    }),
    fc.record({
      type: fc.constant('table' as const),
      columns: fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), label: text }), { maxLength: 4 }),
      rows: fc.array(fc.record({ a: text, b: text, c: text }), { maxLength: 60 }),
    }),
  );
  const anyView = fc.record({
    title: text,
    tone: fc.constantFrom('danger' as const, 'warning' as const, 'good' as const, 'neutral' as const),
    blocks: fc.array(block, { maxLength: 70 }),
  });

  it('should always produce a valid, inert message', () => {
    fc.assert(
      fc.property(anyView, (view) => {
        const message = renderMessage(view);
        const urls = view.blocks.flatMap((b) =>
          b.type === 'fields'
            ? b.fields.flatMap((f) => (f.url ? [new URL(f.url).href.replace(/\|/g, '%7C')] : []))
            : [],
        );
        expect(messageProblems(message)).toEqual([]);
        expectInert(message, urls);
      }),
      { numRuns: 150 },
    );
  });
});
