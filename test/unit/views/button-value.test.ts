import { describe, expect, it } from 'vitest';
import { LONG_ID } from '../../../adapters/dlp/simulator-kit/hostile.js';
import { FULL_ID_IN_BUTTON_MAX, shortKeyOf } from '../../../src/domain/vendor-id.js';
import { decodeButtonTarget, encodeButtonValue } from '../../../src/views/button-value.js';

describe('button values', () => {
  it('should carry an id that fits whole, as buttons posted by earlier releases do', () => {
    const id = 'x'.repeat(FULL_ID_IN_BUTTON_MAX);
    expect(encodeButtonValue({ source: 'pan', id }, 'reminder')).toBe(`{"v":1,"s":"pan","i":"${id}","k":"reminder"}`);
    expect(decodeButtonTarget('{"v":1,"s":"pan","i":"7"}')).toEqual({ key: { source: 'pan', id: '7' }, card: null });
  });

  it('should carry a short key for an id too long for a button, and read it back as one', () => {
    const value = encodeButtonValue({ source: 'pan', id: LONG_ID });
    const shortKey = shortKeyOf({ source: 'pan', id: LONG_ID });
    expect(JSON.parse(value)).toEqual({ v: 1, s: 'pan', h: shortKey });
    expect(decodeButtonTarget(value)).toEqual({ key: { source: 'pan', shortKey }, card: null });
    // A redraw (Teams' way back from the evidence) writes the short key it was given.
    expect(encodeButtonValue({ source: 'pan', shortKey: shortKey as string }, 'escalation')).toBe(
      `{"v":1,"s":"pan","h":"${shortKey}","k":"escalation"}`,
    );
  });

  it('should refuse a value with both an id and a short key, neither, a long id, or a malformed short key', () => {
    for (const raw of [
      '{"v":1,"s":"pan","i":"7","h":"AAAAAAAAAAAAAAAA"}',
      '{"v":1,"s":"pan"}',
      JSON.stringify({ v: 1, s: 'pan', i: LONG_ID }),
      '{"v":1,"s":"pan","h":"short"}',
      '{"v":1,"s":"pan","h":"AAAAAAAAAAAAAAA/"}',
    ]) {
      expect(decodeButtonTarget(raw), raw).toBeNull();
    }
  });
});
