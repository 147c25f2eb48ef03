import { describe, expect, it } from 'vitest';
import type { ColumnSet, RichTextBlock } from '../../../adapters/chat/teams/card/index.js';
import { CARD_SCHEMA, cardAttachment, renderCard, renderPrivateCard } from '../../../adapters/chat/teams/card/index.js';
import type { View } from '../../../src/views/view.js';
import { cells, executes, expectSendable, nodes, ofType, runTexts, textOf } from './card-query.js';

const VALUE = '{"v":1,"s":"pan","i":"7"}';
const LINK = 'https://console.example/incidents/7?tab=a&b=c';

const everyBlock: View = {
  title: 'Status & more',
  tone: 'danger',
  blocks: [
    { type: 'header', text: 'Heading' },
    { type: 'text', text: 'Line one\nline two\n\nafter a gap' },
    {
      type: 'fields',
      fields: [
        { label: 'Severity', value: 'High' },
        { label: 'Console', value: 'Open in vendor console', url: LINK },
      ],
    },
    {
      type: 'table',
      columns: [
        { key: 'id', label: 'Incident' },
        { key: 'age', label: 'Age', align: 'right' },
      ],
      rows: [{ id: 'pan:7', age: '2d 4h' }],
    },
    { type: 'context', text: 'small print' },
    { type: 'divider' },
    { type: 'actions', buttons: [{ actionId: 'dlp.snippets', label: 'View snippets', value: VALUE }] },
  ],
};

describe('renderCard: every block type', () => {
  const card = renderCard(everyBlock);

  it('should be a 1.5 card with the schema URL, valid and within the size budget', () => {
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: CARD_SCHEMA });
    expectSendable(card);
  });

  it('should render each block as its card counterpart, in order', () => {
    expect(card.body.map((e) => e.type)).toEqual([
      'RichTextBlock', // header
      'RichTextBlock', // text: three lines
      'RichTextBlock',
      'RichTextBlock',
      'ColumnSet', // two fields
      'ColumnSet',
      'ColumnSet', // table head and one row
      'ColumnSet',
      'RichTextBlock', // context
      'ActionSet', // after the divider
    ]);
  });

  it('should show the header large and bold, with the tone as emoji and colour', () => {
    expect(card.body[0]).toEqual({
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: '🔴 Heading', size: 'large', weight: 'bolder', color: 'attention' }],
    });
  });

  it('should render text one line per block, a blank line as extra spacing', () => {
    const [one, two, three] = card.body.slice(1, 4) as RichTextBlock[];
    expect([one, two, three].map(textOf)).toEqual(['Line one', 'line two', 'after a gap']);
    expect([one?.spacing, two?.spacing, three?.spacing]).toEqual([undefined, 'none', 'medium']);
  });

  it('should render fields as label and value columns, the bot-built URL as a link on the value', () => {
    expect(cells(card.body[4])).toEqual(['Severity', 'High']);
    const [label, value] = (card.body[5] as ColumnSet).columns;
    expect(label?.items[0]).toEqual({
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: 'Console', weight: 'bolder' }],
    });
    expect((value?.items[0] as RichTextBlock | undefined)?.inlines[0]).toEqual({
      type: 'TextRun',
      text: 'Open in vendor console',
      selectAction: { type: 'Action.OpenUrl', title: 'Open', url: LINK },
    });
  });

  it('should render a table as a bold header row and one row per entry, honouring right alignment', () => {
    expect(cells(card.body[6])).toEqual(['Incident', 'Age']);
    expect(cells(card.body[7])).toEqual(['pan:7', '2d 4h']);
    const head = (card.body[6] as ColumnSet).columns.map((c) => (c.items[0] as RichTextBlock).inlines[0]?.weight);
    expect(head).toEqual(['bolder', 'bolder']);
    const align = (card.body[7] as ColumnSet).columns.map((c) => (c.items[0] as RichTextBlock).horizontalAlignment);
    expect(align).toEqual([undefined, 'right']);
  });

  it('should render context subtle and small', () => {
    expect((card.body[8] as RichTextBlock).inlines[0]).toEqual({
      type: 'TextRun',
      text: 'small print',
      isSubtle: true,
      size: 'small',
    });
  });

  it('should turn a divider into a separator on the element after it', () => {
    expect(card.body[9]).toMatchObject({ type: 'ActionSet', separator: true, spacing: 'medium' });
    expect(card.body.filter((e) => e.separator)).toHaveLength(1);
  });
});

describe('renderCard: views without a header, and tones', () => {
  it('should give a view without a header one from its title, with the tone', () => {
    const tones = {
      danger: ['🔴 Done', 'attention'],
      warning: ['🟠 Done', 'warning'],
      good: ['🟢 Done', 'good'],
      neutral: ['Done', undefined],
    } as const;
    for (const [tone, [text, color]] of Object.entries(tones)) {
      const card = renderCard({ title: 'Done', tone: tone as View['tone'], blocks: [{ type: 'text', text: 'ok' }] });
      expect((card.body[0] as RichTextBlock).inlines[0]).toMatchObject({ text, size: 'large' });
      expect((card.body[0] as RichTextBlock).inlines[0]?.color).toBe(color);
      expect(textOf(card.body[1])).toBe('ok');
      expectSendable(card);
    }
  });

  it('should colour only the first header when a view has several', () => {
    const card = renderCard({
      title: 't',
      tone: 'warning',
      blocks: [
        { type: 'header', text: 'One' },
        { type: 'header', text: 'Two' },
      ],
    });
    expect(runTexts(card)).toEqual(['🟠 One', 'Two']);
  });

  it('should show a dash for empty text rather than an empty run, and "(none)" for an empty table', () => {
    const card = renderCard({
      title: 't',
      tone: 'neutral',
      blocks: [
        { type: 'fields', fields: [{ label: 'Assignee', value: '   ' }] },
        { type: 'table', columns: [{ key: 'a', label: 'A' }], rows: [] },
        { type: 'divider' },
      ],
    });
    expect(runTexts(card)).toEqual(['t', 'Assignee', '—', '(none)']);
    expectSendable(card);
  });

  it('should drop a link whose URL is not http(s), keeping its label as text', () => {
    const card = renderCard({
      title: 't',
      tone: 'neutral',
      blocks: [
        { type: 'fields', fields: [{ label: 'Console', value: 'Open', url: 'javascript:alert(1)' }] },
        {
          type: 'actions',
          buttons: [{ actionId: 'dlp.open', label: 'Open', value: VALUE, url: 'file:///etc/passwd' }],
        },
      ],
    });
    expect(ofType(card, 'Action.OpenUrl')).toEqual([]);
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
    expect(runTexts(card)).toContain('Open');
  });
});

describe('renderPrivateCard', () => {
  it('should show the same content with no action of any kind', () => {
    const shared = renderCard(everyBlock);
    const card = renderPrivateCard(everyBlock);
    expect(runTexts(card)).toEqual(runTexts(shared));
    expect(nodes(card).filter((n) => String(n.type).startsWith('Action.') && n.type !== 'Action.OpenUrl')).toEqual([]);
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
    expect(executes(shared)).toHaveLength(1);
    expectSendable(card);
  });
});

describe('cardAttachment', () => {
  it('should wrap the card in the Bot Framework attachment envelope', () => {
    const card = renderCard(everyBlock);
    expect(cardAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });
});
