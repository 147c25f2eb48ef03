import { describe, expect, it } from 'vitest';
import { renderView } from '../../../adapters/chat/console/render.js';
import { sanitizeForTerminal } from '../../../adapters/chat/console/sanitize.js';
import type { View } from '../../../src/views/view.js';

describe('sanitizeForTerminal', () => {
  it('should make escape sequences, bidi overrides and zero-width characters visible instead of active', () => {
    expect(sanitizeForTerminal('\u001b[2Jwiped')).toBe('⟨U+001B⟩[2Jwiped');
    expect(sanitizeForTerminal('report\u202Efdp.exe')).toBe('report⟨U+202E⟩fdp.exe');
    expect(sanitizeForTerminal('pay\u200Broll')).toBe('pay⟨U+200B⟩roll');
    expect(sanitizeForTerminal('line\rover')).toBe('line⟨U+000D⟩over');
  });

  it('should leave ordinary text, tabs and newlines alone', () => {
    expect(sanitizeForTerminal('Ünïcode ok\tand\nlines')).toBe('Ünïcode ok\tand\nlines');
  });
});

describe('renderView', () => {
  const view: View = {
    title: 'Title \u001b[31m',
    tone: 'danger',
    blocks: [
      { type: 'fields', fields: [{ label: 'File', value: '<!channel> \u202Eexe.txt' }] },
      {
        type: 'table',
        columns: [
          { key: 'a', label: 'A' },
          { key: 'n', label: 'N', align: 'right' },
          { key: 'note', label: 'Note' },
        ],
        rows: [
          { a: 'x'.repeat(500), n: '7', note: 'y'.repeat(250) },
          { a: 'short', n: '12345', note: '' },
        ],
      },
    ],
  };

  it('should never emit a raw escape character from view text when colour is off', () => {
    const text = renderView(view, { color: false, width: 100 });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('⟨U+001B⟩');
    expect(text).toContain('<!channel> ⟨U+202E⟩exe.txt');
  });

  it('should cut wide cells, keep the last column longer, and right-align numbers', () => {
    const lines = renderView(view, { color: false, width: 100 }).split('\n');
    const first = lines.find((l) => l.startsWith('xxx')) ?? '';
    expect(first).toContain(`${'x'.repeat(59)}…`);
    expect(first).toContain('y'.repeat(250));
    const second = lines.find((l) => l.startsWith('short')) ?? '';
    expect(second).toMatch(/short\s+12345/);
    expect(first.indexOf('    7')).toBeGreaterThan(0);
  });

  it('should colour the title only when asked', () => {
    expect(renderView(view, { color: true, width: 80 })).toContain('\u001b[1;31m');
    expect(
      renderView(
        { title: 'None', tone: 'good', blocks: [{ type: 'table', columns: [], rows: [] }] },
        { color: false, width: 80 },
      ),
    ).toContain('(none)');
  });
});
