import { describe, expect, it } from 'vitest';
import type { AdaptiveCard, InputChoiceSet } from '../../../adapters/chat/teams/card/index.js';
import { renderCard } from '../../../adapters/chat/teams/card/index.js';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';
import { validateAdaptiveCard } from '../../support/adaptive-card-schema.js';
import { expectSendable, nodes, ofType, runTexts } from './card-query.js';

const VALUE = '{"v":1,"s":"pan","i":"7"}';
const LINK = 'https://console.example/incidents/7';
const HOSTILE = [
  ...HOSTILE_STRINGS.filter((s) => s !== LONG_HOSTILE_NAME),
  '**bold** and _italic_',
  '# Heading',
  '- list item',
  '1. numbered',
  '<b>html</b> <script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&amp; &lt;at&gt;',
  ':smile: (smile)',
  '\\*escaped\\*',
  '`code` ```fence```',
];

/** The hostile text in every place a view can hold text. */
function everywhere(text: string): View {
  return {
    title: text,
    tone: 'danger',
    blocks: [
      { type: 'header', text },
      { type: 'text', text },
      { type: 'fields', fields: [{ label: text, value: text }] },
      { type: 'table', columns: [{ key: 'a', label: text }], rows: [{ a: text }] },
      { type: 'context', text },
      {
        type: 'actions',
        buttons: [
          { actionId: 'incident.snippets', label: text, value: VALUE },
          {
            actionId: 'incident.assign',
            label: text,
            value: VALUE,
            form: DEFAULT_ACTIONS.find('incident.assign')?.form,
          },
        ],
      },
    ],
  };
}

/** A right-to-left override is kept but wrapped in an isolate (FSI … PDI), so it cannot reorder what follows. */
const shown = (text: string) => (/[\u202A-\u202E\u2066-\u2069]/.test(text) ? `\u2068${text}\u2069` : text);

describe('vendor text on a Teams card', () => {
  it.each(HOSTILE)('should show %j exactly as written, in text that is never parsed', (text) => {
    const card = renderCard(everywhere(text), { analysts: [{ display: text, email: 'a@corp.example' }] });
    expectSendable(card);
    // The subset schema has no TextBlock or FactSet: the only elements whose text Teams parses as markdown.
    expect(nodes(card).filter((n) => n.type === 'TextBlock' || n.type === 'FactSet')).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('"msteams"'); // no mention entities: <at> cannot notify anyone
    // Header, text, field label and value, table head and cell (one column, so up to 60 characters), context.
    expect(runTexts(card)).toEqual([shown(`🔴 ${text}`), ...Array(6).fill(shown(text))]);
    // Button titles and choice titles are plain text to Teams too.
    expect(ofType<{ title: string }>(card, 'Action.Execute')[0]?.title).toBe(text);
    expect(ofType<{ title: string }>(card, 'Action.ShowCard')[0]?.title).toBe(text);
    expect(ofType<InputChoiceSet>(card, 'Input.ChoiceSet')[0]?.choices).toEqual([
      { title: text, value: 'a@corp.example' },
    ]);
  });

  it('should never turn a URL in vendor text into a link', () => {
    const card = renderCard(everywhere('[link](https://evil.example) https://evil.example <https://evil.example|x>'));
    const urls = nodes(card).flatMap((n) => (typeof n.url === 'string' ? [n.url] : []));
    expect(urls).toEqual([]);
  });

  it('should link only the URLs the bot built', () => {
    const card = renderCard({
      title: 't',
      tone: 'neutral',
      blocks: [
        { type: 'fields', fields: [{ label: 'Console', value: '[x](https://evil.example)', url: LINK }] },
        { type: 'actions', buttons: [{ actionId: 'dlp.open', label: 'Open', value: VALUE, url: LINK }] },
      ],
    });
    const urls = nodes(card).flatMap((n) => (typeof n.url === 'string' ? [n.url] : []));
    expect(urls).toEqual([LINK, LINK]);
    expect(runTexts(card)).toContain('[x](https://evil.example)');
  });

  it('should cut a 5,000-character name to one visible line with an ellipsis', () => {
    const card = renderCard(everywhere(LONG_HOSTILE_NAME));
    expectSendable(card);
    const header = runTexts(card)[0] ?? '';
    expect(header.startsWith('🔴 long-name-long-name-')).toBe(true);
    expect(header.endsWith('…')).toBe(true);
    expect(header.length).toBeLessThanOrEqual(210);
    for (const run of runTexts(card)) expect(run.length).toBeLessThanOrEqual(2001);
  });

  it('should keep multi-line vendor text on separate lines rather than joining or dropping them', () => {
    const card = renderCard({
      title: 't',
      tone: 'neutral',
      blocks: [{ type: 'text', text: '*a*\r\n<at>b</at>\n[c](d)' }],
    });
    expect(runTexts(card)).toEqual(['t', '*a*', '<at>b</at>', '[c](d)']);
  });
});

describe('the schema check itself', () => {
  const base = (): AdaptiveCard => renderCard({ title: 't', tone: 'neutral', blocks: [] });

  it.each([
    ['a markdown TextBlock', (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'TextBlock', text: '**x**' }] })],
    ['a FactSet', (c: Record<string, unknown>) => ({ ...c, body: [{ type: 'FactSet', facts: [] }] })],
    ['version 1.6', (c: Record<string, unknown>) => ({ ...c, version: '1.6' })],
    ['an unknown property', (c: Record<string, unknown>) => ({ ...c, msteams: { width: 'Full' } })],
    [
      'an Action.Execute without a verb',
      (c: Record<string, unknown>) => ({
        ...c,
        body: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'x' }] }],
      }),
    ],
    [
      'an empty text run',
      (c: Record<string, unknown>) => ({
        ...c,
        body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '' }] }],
      }),
    ],
    [
      'two inputs with one id',
      (c: Record<string, unknown>) => ({
        ...c,
        body: [
          { type: 'Input.Text', id: 'a', label: 'A' },
          { type: 'Input.Text', id: 'a', label: 'B' },
        ],
      }),
    ],
  ])('should reject %s', (_what, change) => {
    expect(validateAdaptiveCard(base())).toEqual([]);
    expect(validateAdaptiveCard(change(base() as unknown as Record<string, unknown>))).not.toEqual([]);
  });
});
