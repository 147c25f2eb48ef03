import { describe, expect, it } from 'vitest';
import { renderView } from '../../../adapters/chat/console/render.js';
import { sanitizeForTerminal, sanitizeLine } from '../../../adapters/chat/console/sanitize.js';
import type { View } from '../../../src/views/view.js';
import { DEFAULT_ACTIONS } from '../../support/actions.js';

const formOf = (id: string) => DEFAULT_ACTIONS.find(id)?.form;

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

describe('sanitizeLine', () => {
  it('should show a newline instead of printing it, and turn a tab into a space', () => {
    expect(sanitizeLine('Payroll\n✔ Scan finished\tok\r')).toBe('Payroll⟨U+000A⟩✔ Scan finished ok⟨U+000D⟩');
  });
});

describe('renderView: one line per line the renderer makes', () => {
  const forged = '✔ Scan finished';
  const lines = (view: View) => renderView(view, { color: false, width: 100 }).trimEnd().split('\n');

  it('should keep a newline in a title, header, context, field or table cell from starting a line', () => {
    const text = `x\n${forged}`;
    const view: View = {
      title: text,
      tone: 'neutral',
      blocks: [
        { type: 'header', text: `h\n${forged}` },
        { type: 'context', text },
        { type: 'fields', fields: [{ label: text, value: text }] },
        { type: 'table', columns: [{ key: 'a', label: 'A' }], rows: [{ a: text }] },
      ],
    };
    expect(lines(view)).toHaveLength(6);
    expect(lines(view).filter((l) => l.trimStart().startsWith(forged))).toEqual([]);
  });

  it('should keep the line breaks of a text block, except in a view about an incident', () => {
    const text: View = { title: 'Help', tone: 'neutral', blocks: [{ type: 'text', text: `a\n${forged}` }] };
    expect(lines(text)).toEqual(['• Help', 'a', forged]);
    expect(lines({ ...text, subject: { source: 'pan', id: '7' } })).toEqual(['• Help', `a⟨U+000A⟩${forged}`]);
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

describe('renderView: buttons on a terminal', () => {
  const card: View = {
    title: 'SLA breached: high DLP incident pan:7, overdue by 1h',
    tone: 'danger',
    subject: { source: 'pan', id: '7' },
    blocks: [
      { type: 'header', text: 'SLA breached · High · PCI' },
      { type: 'fields', fields: [{ label: 'Console', value: 'Open in vendor console', url: 'https://c.example/7' }] },
      {
        type: 'actions',
        buttons: [
          { actionId: 'incident.take', label: 'Take it', value: '{}', command: 'take' },
          { actionId: 'incident.note', label: 'Add note', value: '{}', command: 'note', form: formOf('incident.note') },
          {
            actionId: 'incident.false_positive',
            label: 'Mark false positive',
            value: '{}',
            command: 'fp',
            form: formOf('incident.false_positive'),
          },
          { actionId: 'incident.open', label: 'Open in console', value: '{}', url: 'https://c.example/7' },
          { actionId: 'incident.doc', label: 'Runbook', value: '{}', url: 'https://wiki.example/dlp' },
        ],
      },
      { type: 'actions', buttons: [{ actionId: 'reminders.snooze_1h', label: 'Snooze 1h', value: '{}' }] },
    ],
  };

  it('should name the commands that do what the buttons do instead of drawing buttons that cannot be pressed, once', () => {
    const text = renderView(card, { color: false, width: 100 });
    expect(text).not.toMatch(/\[(Take it|Add note|Open in console|Snooze 1h)\]/);
    const said = text.split('\n').filter((l) => l.includes('Triage here'));
    expect(said).toEqual([
      '  Triage here: dlp-bot take pan:7 · note … --text "…" · fp … [--reason "…"]. Latest card: dlp-bot show pan:7.',
    ]);
  });

  it('should only say how to see the card again when no button has a command', () => {
    const reminderOnly: View = { ...card, blocks: card.blocks.slice(-1) };
    expect(renderView(reminderOnly, { color: false, width: 100 })).toContain('  Latest card: dlp-bot show pan:7.\n');
  });

  it('should show a link button as its URL unless a field already shows that link', () => {
    const text = renderView(card, { color: false, width: 100 });
    expect(text).toContain('  Runbook: https://wiki.example/dlp');
    expect(text.match(/https:\/\/c\.example\/7/g)).toHaveLength(1);
  });

  it('should not repeat a header that says what the title line said', () => {
    const rollup: View = {
      title: '3 more DLP incidents breached or due soon — listed in this thread',
      tone: 'danger',
      blocks: [
        { type: 'header', text: '3 more DLP incidents breached or due soon — listed in this thread' },
        { type: 'context', text: '3 high' },
      ],
    };
    expect(renderView(rollup, { color: false, width: 100 })).toBe(
      '■ 3 more DLP incidents breached or due soon — listed in this thread\n3 high\n',
    );
  });
});
