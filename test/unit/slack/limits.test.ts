import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../adapters/chat/slack/escape.js';
import { chunk, clip, clipEncoded, oneLine, orDash, splitText } from '../../../adapters/chat/slack/limits.js';

describe('clip', () => {
  it('should keep short text and cut long text to exactly the limit, marked with …', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abcdef', 4)).toHaveLength(4);
  });

  it('should never split a surrogate pair', () => {
    const out = clip('ab😀😀', 4);
    expect(out).toBe('ab…');
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('clipEncoded', () => {
  it('should fit the encoded text and never cut an entity in half', () => {
    const out = clipEncoded('&'.repeat(100), 50, escapeMrkdwn);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toMatch(/^(&amp;)+…$/);
  });

  it('should not cut text that fits once encoded', () => {
    expect(clipEncoded('a<b', 6, escapeMrkdwn)).toBe('a&lt;b');
    expect(clipEncoded('a<b', 5, escapeMrkdwn)).toBe('a…');
  });
});

describe('splitText', () => {
  it('should split long text into pieces within the limit that join back to the input', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} ${'w'.repeat(i % 17)}`).join('\n');
    const pieces = splitText(text, 300);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(300);
    expect(pieces.join('')).toBe(text);
    // Breaks fall after a newline when there is one in reach.
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith('\n')).toBe(true);
  });

  it('should break after a space when there is no newline in reach', () => {
    const pieces = splitText('word '.repeat(100), 52);
    expect(pieces.slice(0, -1).every((p) => p.endsWith(' ') && p.length === 50)).toBe(true);
    expect(pieces.join('')).toBe('word '.repeat(100));
  });

  it('should cut a text with no spaces at the limit without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(10)}`;
    const pieces = splitText(text, 10);
    expect(pieces).toEqual(['a'.repeat(9), `😀${'b'.repeat(8)}`, 'bb']);
  });
});

describe('small helpers', () => {
  it('should turn blank text into a dash, lines into one, and lists into runs', () => {
    expect(orDash('  \n')).toBe('—');
    expect(orDash('x')).toBe('x');
    expect(oneLine('a\n b\r\n\nc')).toBe('a b c');
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
