import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderMessage, TABLE_MAX_ROWS } from '../../../adapters/chat/slack/render.js';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { Column, View } from '../../../src/views/view.js';
import { agingAnswer, longRef } from '../../support/aging-answer.js';
import { expectInert, messageProblems, ofType } from './block-kit.js';

const tableView = (columns: Column[], rows: Record<string, string>[]): View => ({
  title: 't',
  tone: 'neutral',
  blocks: [{ type: 'table', columns, rows }],
});
const sectionTexts = (blocks: KnownBlock[]) => ofType(blocks, 'section').map((s) => s.text?.text ?? '');
/** Entries are a blank line apart, whichever section they landed in. */
const entriesOf = (blocks: KnownBlock[]) => sectionTexts(blocks).flatMap((t) => t.split('\n\n'));
const contexts = (blocks: KnownBlock[]) =>
  ofType(blocks, 'context').map((c) => (c.elements[0] as { text: string }).text);

describe('renderMessage: tables that fit a phone stay a monospaced grid', () => {
  const columns: Column[] = [
    { key: 'ref', label: 'Incident' },
    { key: 'age', label: 'Age', align: 'right' },
    { key: 'policy', label: 'Policy' },
  ];

  it('should render a monospaced, aligned table', () => {
    const { blocks } = renderMessage(
      tableView(columns, [
        { ref: 'pan:1', age: '2h', policy: 'PCI' },
        { ref: 'pan:22', age: '13h', policy: 'HR' },
      ]),
    );
    expect(ofType(blocks, 'section')[0]?.text).toEqual({
      type: 'mrkdwn',
      text: '```\nIncident  Age  Policy\npan:1      2h  PCI\npan:22    13h  HR\n```',
      verbatim: true,
    });
  });

  it('should keep a table of 3 columns exactly 40 characters wide a grid, and make one 41 wide entries', () => {
    const row = (policy: string) => [{ ref: 'pan:1', age: '2h', policy }];
    // "Incident" (8) + 2 + "Age" (3) + 2 + policy: 25 characters of policy make 40.
    expect(sectionTexts(renderMessage(tableView(columns, row('p'.repeat(25)))).blocks)[0]).toMatch(/^```/);
    expect(sectionTexts(renderMessage(tableView(columns, row('p'.repeat(26)))).blocks)[0]).toMatch(/^\*pan:1\*\n/);
  });

  it('should show a table of more than 3 columns as entries, however short its cells', () => {
    const four = [...columns, { key: 'x', label: 'X' }];
    const { blocks } = renderMessage(tableView(four, [{ ref: 'a', age: '1h', policy: 'P', x: 'y' }]));
    expect(sectionTexts(blocks)).toEqual(['*a*\nAge: 1h · Policy: P · X: y']);
  });

  it('should cap rows at the limit and say how many were left out', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ ref: `pan:${i}`, age: '1h', policy: 'PCI' }));
    const message = renderMessage(tableView(columns, rows));
    const code = sectionTexts(message.blocks).join('\n');
    expect(code).toMatch(/^```/);
    expect(code).toContain(`pan:${TABLE_MAX_ROWS - 1} `);
    expect(code).not.toContain(`pan:${TABLE_MAX_ROWS} `);
    expect(contexts(message.blocks)).toContain(`… and ${200 - TABLE_MAX_ROWS} more`);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should split a grid whose escaped text passes 3000 characters over code blocks, repeating the header row', () => {
    // 40 characters wide on screen, but every `&` and `<` is five or four characters once escaped.
    const rows = Array.from({ length: TABLE_MAX_ROWS }, (_, i) => ({
      ref: `${'&'.repeat(16)}${i}`,
      age: '&&&',
      policy: '<'.repeat(15),
    }));
    const message = renderMessage(tableView(columns, rows));
    const sections = ofType(message.blocks, 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) {
      expect(s.text?.text.startsWith('```\nIncident')).toBe(true);
      expect(s.text?.text.endsWith('\n```')).toBe(true);
    }
    expect(messageProblems(message)).toEqual([]);
  });

  it('should keep hostile cells inside the code block and inert', () => {
    const short = HOSTILE_STRINGS.filter((s) => s.length <= 35);
    const rows = short.map((s) => ({ ref: s, age: '```' }));
    const message = renderMessage(tableView(columns.slice(0, 2), rows));
    for (const text of sectionTexts(message.blocks)) {
      expect(text.match(/```/g)).toHaveLength(2);
      expect(text.split('\n')).toHaveLength(short.length + 3);
    }
    expectInert(message);
    expect(messageProblems(message)).toEqual([]);
  });

  it('should keep a right-to-left override from reordering the rest of its row', () => {
    const message = renderMessage(tableView(columns, [{ ref: '\u202Etxt.exe', age: '1h', policy: 'PCI' }]));
    const row = sectionTexts(message.blocks)[0]?.split('\n')[2] ?? '';
    // The override and its padding sit in an isolate that closes before the next cell.
    expect(row).toBe('\u2068\u202Etxt.exe \u2069   1h  PCI');
  });

  it('should say (none) for an empty table', () => {
    const { blocks } = renderMessage(tableView(columns, []));
    expect(blocks[1]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: '(none)', emoji: false }] });
  });
});

describe('renderMessage: wider tables become one entry per row', () => {
  it('should show an aging answer of 25 long refs as 20 entries, each ref in bold on its own line', () => {
    const message = renderMessage(agingAnswer(25));
    expect(messageProblems(message)).toEqual([]);
    const sections = ofType(message.blocks, 'section') as SectionBlock[];
    // Plain sections, no side-by-side fields and no monospaced grid.
    expect(sections.every((s) => s.fields === undefined && s.text?.type === 'mrkdwn')).toBe(true);
    expect(sectionTexts(message.blocks).join('')).not.toContain('```');
    const entries = entriesOf(message.blocks);
    expect(entries).toHaveLength(TABLE_MAX_ROWS);
    expect(entries.map((e) => e.split('\n')[0])).toEqual(
      Array.from({ length: TABLE_MAX_ROWS }, (_, i) => `*${longRef(i)}*`),
    );
    expect(entries[0]?.split('\n')[1]).toBe(
      'Severity: high · Status: open · Age: 1d 6h · SLA: escalated · Past SLA / due in: 1d 2h · Created: 2026-03-02 08:00 UTC',
    );
    expect(contexts(message.blocks)).toContain('… and 5 more');
    // A handful of blocks, far from the 50 a message may hold.
    expect(message.blocks.length).toBeLessThanOrEqual(5);
  });

  it('should leave out empty cells rather than show an empty label', () => {
    const columns: Column[] = [
      { key: 'source', label: 'Source' },
      { key: 'result', label: 'Result' },
      { key: 'fetched', label: 'Fetched' },
      { key: 'note', label: 'Note' },
    ];
    const row = { source: 'paloalto-published', result: 'ok', fetched: '', note: '  ' };
    expect(sectionTexts(renderMessage(tableView(columns, [row])).blocks)).toEqual(['*paloalto-published*\nResult: ok']);
  });

  it('should keep hostile cells inert and the bold ref unbroken', () => {
    const columns: Column[] = [
      { key: 'ref', label: 'Incident' },
      { key: 'policy', label: 'Policy' },
      { key: 'user', label: 'User' },
    ];
    const rows = HOSTILE_STRINGS.map((s) => ({ ref: s, policy: `${s}\nnext line`, user: s }));
    const message = renderMessage(tableView(columns, rows));
    expectInert(message);
    expect(messageProblems(message)).toEqual([]);
    const entries = entriesOf(message.blocks);
    expect(entries).toHaveLength(HOSTILE_STRINGS.length);
    for (const entry of entries) {
      const [title, details, ...more] = entry.split('\n');
      expect(more).toEqual([]);
      // Only our two asterisks: a vendor `*` is a look-alike, so it can neither end the bold early nor start one.
      expect(title?.match(/\*/g)).toHaveLength(2);
      expect(title).toMatch(/^\*.+\*$/);
      expect(details?.match(/\*/g) ?? []).toEqual([]);
    }
    expect(entries[HOSTILE_STRINGS.indexOf('*bold*')]?.split('\n')[0]).toBe('*\u2217bold\u2217*');
    expect(entries[HOSTILE_STRINGS.indexOf(LONG_HOSTILE_NAME)]?.split('\n')[0]).toMatch(/^\*long-name-.{100,}…\*$/);
  });

  it('should keep a right-to-left override inside its own cell', () => {
    const columns: Column[] = [
      { key: 'file', label: 'File' },
      { key: 'user', label: 'User' },
      { key: 'policy', label: 'Policy' },
      { key: 'age', label: 'Age' },
    ];
    const { blocks } = renderMessage(
      tableView(columns, [{ file: '\u202Etxt.exe', user: '\u202Eevil', policy: 'PCI', age: '1h' }]),
    );
    expect(sectionTexts(blocks)).toEqual([
      '*\u2068\u202Etxt.exe\u2069*\nUser: \u2068\u202Eevil\u2069 · Policy: PCI · Age: 1h',
    ]);
  });

  it('should keep very wide tables of long cells within the limits, cutting cells and ending a cut row with "…"', () => {
    const wide = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, label: `&${i}` }));
    const row = Object.fromEntries(wide.map((c) => [c.key, '&'.repeat(400)]));
    const message = renderMessage(
      tableView(
        wide,
        Array.from({ length: 1000 }, () => row),
      ),
    );
    expect(messageProblems(message)).toEqual([]);
    const entries = entriesOf(message.blocks);
    expect(entries).toHaveLength(TABLE_MAX_ROWS);
    for (const entry of entries) {
      expect(entry).toMatch(/^\*(&amp;)+…\*\n&amp;1: (&amp;)+… · /);
      expect(entry.endsWith(' …')).toBe(true);
    }
    // Every entry fits, so nothing is cut from the end of the message: the count of the rest is still there.
    expect(contexts(message.blocks)).toEqual([`… and ${1000 - TABLE_MAX_ROWS} more`]);
  });
});
