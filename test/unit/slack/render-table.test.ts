import { describe, expect, it } from 'vitest';
import { renderMessage, TABLE_MAX_ROWS } from '../../../adapters/chat/slack/render.js';
import { HOSTILE_STRINGS } from '../../../adapters/dlp/simulator-kit/hostile.js';
import { expectInert, messageProblems, ofType } from './block-kit.js';

describe('renderMessage: tables', () => {
  const columns = [
    { key: 'ref', label: 'Incident' },
    { key: 'age', label: 'Age', align: 'right' as const },
    { key: 'policy', label: 'Policy' },
  ];

  it('should render a monospaced, aligned table', () => {
    const { blocks } = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [
        {
          type: 'table',
          columns,
          rows: [
            { ref: 'pan:1', age: '2h', policy: 'PCI' },
            { ref: 'pan:22', age: '13h', policy: 'HR' },
          ],
        },
      ],
    });
    expect(ofType(blocks, 'section')[0]?.text).toEqual({
      type: 'mrkdwn',
      text: '```\nIncident  Age  Policy\npan:1      2h  PCI\npan:22    13h  HR\n```',
      verbatim: true,
    });
  });

  it('should cap rows at the limit and say how many were left out', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ ref: `pan:${i}`, age: '1h', policy: 'PCI' }));
    const message = renderMessage({ title: 't', tone: 'neutral', blocks: [{ type: 'table', columns, rows }] });
    const code = ofType(message.blocks, 'section')
      .map((s) => s.text?.text ?? '')
      .join('\n');
    expect(code).toContain(`pan:${TABLE_MAX_ROWS - 1} `);
    expect(code).not.toContain(`pan:${TABLE_MAX_ROWS} `);
    const contexts = ofType(message.blocks, 'context').map((c) => (c.elements[0] as { text: string }).text);
    expect(contexts).toContain(`… and ${200 - TABLE_MAX_ROWS} more`);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should split wide tables over several code blocks, repeating the header row', () => {
    const rows = Array.from({ length: TABLE_MAX_ROWS }, (_, i) => ({
      ref: `${'&'.repeat(40)}${i}`,
      age: '1h',
      policy: '<'.repeat(80),
    }));
    const message = renderMessage({ title: 't', tone: 'neutral', blocks: [{ type: 'table', columns, rows }] });
    const sections = ofType(message.blocks, 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.text?.text.startsWith('```\nIncident')).toBe(true);
      expect(s.text?.text.endsWith('\n```')).toBe(true);
    }
    expect(messageProblems(message)).toEqual([]);
  });

  it('should keep hostile cells inside the code block and inert', () => {
    const rows = HOSTILE_STRINGS.map((s) => ({ ref: s, age: '```', policy: `${s}\nnext line` }));
    const message = renderMessage({ title: 't', tone: 'neutral', blocks: [{ type: 'table', columns, rows }] });
    for (const s of ofType(message.blocks, 'section')) {
      const text = s.text?.text ?? '';
      expect(text.match(/```/g)).toHaveLength(2);
      expect(text.split('\n')).toHaveLength(HOSTILE_STRINGS.length + 3);
    }
    expectInert(message);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should keep a right-to-left override from reordering the rest of its row', () => {
    const rows = [{ ref: '\u202Etxt.exe', age: '1h', policy: 'PCI' }];
    const message = renderMessage({ title: 't', tone: 'neutral', blocks: [{ type: 'table', columns, rows }] });
    const row = ofType(message.blocks, 'section')[0]?.text?.text.split('\n')[2] ?? '';
    // The override and its padding sit in an isolate that closes before the next cell.
    expect(row).toBe('\u2068\u202Etxt.exe \u2069   1h  PCI');
  });

  it('should keep very wide tables within the section limit', () => {
    const wide = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, label: `&${i}` }));
    const row = Object.fromEntries(wide.map((c) => [c.key, '&'.repeat(40)]));
    const message = renderMessage({
      title: 't',
      tone: 'neutral',
      blocks: [{ type: 'table', columns: wide, rows: [row, row] }],
    });
    expect(messageProblems(message)).toEqual([]);
    expect(ofType(message.blocks, 'section')[0]?.text?.text).toMatch(/^```\n&amp;0/);
  });

  it('should say (none) for an empty table', () => {
    const { blocks } = renderMessage({ title: 't', tone: 'neutral', blocks: [{ type: 'table', columns, rows: [] }] });
    expect(blocks[1]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: '(none)', emoji: false }] });
  });
});
