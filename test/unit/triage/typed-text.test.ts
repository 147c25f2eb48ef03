import { describe, expect, it } from 'vitest';
import { cleanTypedText, readTypedText } from '../../../src/actions/typed-text.js';
import type { ActionTable } from '../../../src/ports/actions.js';
import type { TextField } from '../../../src/views/form.js';
import { DEFAULT_ACTIONS, REASON_REQUIRED_ACTIONS } from '../../support/actions.js';

/** A text field as the table declares it. */
function field(actions: ActionTable, action: string): TextField {
  const found = actions.find(action)?.form?.fields.find((f) => f.kind === 'text');
  if (found?.kind !== 'text') throw new Error(`${action} has no text field`);
  return found;
}
const note = field(DEFAULT_ACTIONS, 'incident.note');
const reason = field(DEFAULT_ACTIONS, 'incident.false_positive');

describe('typed text sent to a vendor', () => {
  it('should drop control and bidi characters but keep newlines and tabs, and normalise to NFC', () => {
    expect(cleanTypedText('  Cafe\u0301\u0007 \u202Eexe.pdf\u202C\r\nnext\tline\rlast\u0000\u009B\u007F  ')).toBe(
      'Café exe.pdf\nnext\tline\nlast',
    );
  });

  it('should count code points after cleaning, so a decomposed accent or an emoji is one character', () => {
    expect(readTypedText(note, `${'e\u0301'.repeat(2_000)}\u0007`)).toMatchObject({ ok: true, length: 2_000 });
    expect(readTypedText(note, '😀'.repeat(2_000))).toMatchObject({ ok: true, length: 2_000 });
    expect(readTypedText(reason, 'r'.repeat(1_001))).toEqual({
      ok: false,
      problem: 'too_long',
      length: 1_001,
      message: 'Keep the reason to 1,000 characters (it has 1,001).',
    });
  });

  it('should refuse an empty note, and an empty reason only when the config requires one', () => {
    expect(readTypedText(note, ' \u0008\u2066\n')).toMatchObject({ ok: false, problem: 'empty' });
    expect(readTypedText(reason, '')).toEqual({ ok: true, text: '', length: 0 });
    expect(readTypedText(field(REASON_REQUIRED_ACTIONS, 'incident.false_positive'), ' ')).toMatchObject({
      ok: false,
      message: 'The reason is empty. Say why this is not a real leak.',
    });
  });
});
