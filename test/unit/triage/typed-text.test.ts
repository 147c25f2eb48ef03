import { describe, expect, it } from 'vitest';
import { cleanTypedText, readTypedText } from '../../../src/triage/typed-text.js';

describe('typed text sent to a vendor', () => {
  it('should drop control and bidi characters but keep newlines and tabs, and normalise to NFC', () => {
    expect(cleanTypedText('  Cafe\u0301\u0007 \u202Eexe.pdf\u202C\r\nnext\tline\rlast\u0000\u009B\u007F  ')).toBe(
      'Café exe.pdf\nnext\tline\nlast',
    );
  });

  it('should count code points after cleaning, so a decomposed accent or an emoji is one character', () => {
    expect(readTypedText('note', `${'e\u0301'.repeat(2_000)}\u0007`)).toMatchObject({ ok: true, length: 2_000 });
    expect(readTypedText('note', '😀'.repeat(2_000))).toMatchObject({ ok: true, length: 2_000 });
    expect(readTypedText('reason', 'r'.repeat(1_001))).toEqual({
      ok: false,
      problem: 'too_long',
      length: 1_001,
      message: 'Keep the reason to 1,000 characters (it has 1,001).',
    });
  });

  it('should refuse an empty note, accept an empty reason unless the form asked for one', () => {
    expect(readTypedText('note', ' \u0008\u2066\n')).toMatchObject({ ok: false, problem: 'empty' });
    expect(readTypedText('reason', '')).toEqual({ ok: true, text: '', length: 0 });
    expect(readTypedText('reason', ' ', true)).toMatchObject({
      ok: false,
      message: 'The reason is empty. Say why this is not a real leak.',
    });
  });
});
