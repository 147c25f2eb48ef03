import { describe, expect, it } from 'vitest';
import type { ColumnSet, Container, RichTextBlock } from '../../../adapters/chat/teams/card/index.js';
import { renderCard, TABLE_MAX_ROWS } from '../../../adapters/chat/teams/card/index.js';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { Column, View } from '../../../src/views/view.js';
import { agingAnswer, longRef } from '../../support/aging-answer.js';
import { cells, expectSendable, nodes, ofType, textOf } from './card-query.js';

const tableView = (columns: Column[], rows: Record<string, string>[]): View => ({
  title: 't',
  tone: 'neutral',
  blocks: [{ type: 'table', columns, rows }],
});
const containers = (view: View) => renderCard(view).body.filter((e): e is Container => e.type === 'Container');
/** A RichTextBlock's runs as [text, subtle?] pairs, to see which are labels. */
const styled = (block: unknown) => (block as RichTextBlock).inlines.map((r) => [r.text, r.isSubtle === true]);

describe('Teams tables wider than a phone: one entry per row', () => {
  const card = renderCard(agingAnswer(25));
  const entries = card.body.filter((e): e is Container => e.type === 'Container');

  it('should stay valid and within the size budget', () => {
    expectSendable(card);
  });

  it('should show an aging answer of 25 long refs as 20 entries, never as columns', () => {
    // No row of cells side by side: nothing that squeezes a ref into a narrow column.
    expect(ofType<ColumnSet>(card, 'ColumnSet')).toEqual([]);
    expect(ofType(card, 'Table')).toEqual([]);
    expect(entries).toHaveLength(TABLE_MAX_ROWS);
    expect(textOf(card.body.at(-1))).toBe('… and 5 more');
  });

  it('should put each ref whole, in bold, on a line of its own, and the other columns below it', () => {
    for (const [i, entry] of entries.entries()) {
      expect(entry.items).toHaveLength(2);
      const [title, details] = entry.items;
      expect(title).toEqual({
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: longRef(i), weight: 'bolder' }],
      });
      expect(textOf(details)).toMatch(/^Severity: high · Status: open · Age: .+ · Created: 2026-03-0\d \d\d:00 UTC$/);
    }
    expect(styled(entries[0]?.items[1]).slice(0, 4)).toEqual([
      ['Severity: ', true],
      ['high', false],
      [' · Status: ', true],
      ['open', false],
    ]);
  });

  it('should make a table of more than 3 columns entries however short, and leave out empty cells', () => {
    const columns: Column[] = ['a', 'b', 'c', 'd'].map((key) => ({ key, label: key.toUpperCase() }));
    const [entry] = containers(tableView(columns, [{ a: 'x', b: '1', c: ' ', d: '2' }]));
    expect(entry?.items.map(textOf)).toEqual(['x', 'B: 1 · D: 2']);
  });

  it('should show only the first cell when the others are empty', () => {
    const columns: Column[] = ['a', 'b', 'c', 'd'].map((key) => ({ key, label: key }));
    const [entry] = containers(tableView(columns, [{ a: 'only', b: '', c: '', d: '' }]));
    expect(entry?.items.map(textOf)).toEqual(['only']);
  });

  it('should show hostile vendor text exactly as written, each cell in its own unparsed run', () => {
    const columns: Column[] = [
      { key: 'ref', label: 'Incident' },
      { key: 'policy', label: 'Policy' },
      { key: 'file', label: 'File' },
      { key: 'user', label: 'User' },
    ];
    const rows = HOSTILE_STRINGS.filter((s) => s !== LONG_HOSTILE_NAME).map((s) => ({
      ref: s,
      policy: s,
      file: s,
      user: s,
    }));
    const card = renderCard(tableView(columns, rows));
    expectSendable(card);
    expect(nodes(card).filter((n) => n.type === 'TextBlock' || n.type === 'FactSet')).toEqual([]);
    const shown = (text: string) => (/[\u202A-\u202E]/.test(text) ? `\u2068${text}\u2069` : text);
    const entries = card.body.filter((e): e is Container => e.type === 'Container');
    expect(
      entries.map((e) =>
        styled(e.items[1])
          .filter(([, subtle]) => !subtle)
          .map(([text]) => text),
      ),
    ).toEqual(rows.map((r) => [r.policy, r.file, r.user].map(shown)));
    expect(entries.map((e) => textOf(e.items[0]))).toEqual(rows.map((r) => shown(r.ref)));
  });

  it('should stay within the budget with 10,000 rows of 5,000-character cells', () => {
    const columns: Column[] = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key, label: key }));
    const row = Object.fromEntries(columns.map((c) => [c.key, LONG_HOSTILE_NAME]));
    const card = renderCard(
      tableView(
        columns,
        Array.from({ length: 10_000 }, () => row),
      ),
    );
    expectSendable(card);
    expect(textOf(card.body.at(-1))).toBe('… and 9,980 more');
    const [title, details] = (card.body[1] as Container).items.map(textOf);
    expect(title).toMatch(/^long-name-.{100,}…$/);
    // Every cell is cut, and the line ends where its room does.
    expect(details).toMatch(/^b: long-name-.+… · c: long-name-.+… · d: long-name-.+…( · e: .*)?$/);
    expect(details?.length).toBeLessThanOrEqual(410);
  });
});

describe('Teams tables that fit a phone stay a grid', () => {
  it('should keep 3 short columns side by side, each as wide as its widest cell', () => {
    const columns: Column[] = [
      { key: 'id', label: 'Source' },
      { key: 'vendor', label: 'Vendor' },
      { key: 'enabled', label: 'Enabled' },
    ];
    const card = renderCard(
      tableView(columns, [
        { id: 'paloalto-published', vendor: 'paloalto', enabled: 'yes' },
        { id: 'zwa', vendor: 'zscaler', enabled: 'no' },
      ]),
    );
    expectSendable(card);
    const rows = card.body.filter((e): e is ColumnSet => e.type === 'ColumnSet');
    expect(rows.map(cells)).toEqual([
      ['Source', 'Vendor', 'Enabled'],
      ['paloalto-published', 'paloalto', 'yes'],
      ['zwa', 'zscaler', 'no'],
    ]);
    for (const row of rows) expect(row.columns.map((c) => c.width)).toEqual([18, 8, 7]);
  });

  it('should make the same table entries once a row is wider than 40 characters', () => {
    const columns: Column[] = [
      { key: 'check', label: 'Check' },
      { key: 'detail', label: 'Detail' },
    ];
    const entries = containers(tableView(columns, [{ check: 'store', detail: 'd'.repeat(34) }]));
    expect(entries).toHaveLength(1);
    expect(containers(tableView(columns, [{ check: 'store', detail: 'd'.repeat(33) }]))).toEqual([]);
  });
});
