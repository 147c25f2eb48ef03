import { describe, expect, it } from 'vitest';
import { HOSTILE_IDS, LONG_ID } from '../../../adapters/dlp/simulator-kit/hostile.js';
import {
  buttonRefOf,
  checkAnsweredId,
  FULL_ID_IN_BUTTON_MAX,
  isVendorId,
  refLabel,
  shortKeyOf,
  VENDOR_ID_MAX,
  VendorId,
  vendorIdProblem,
} from '../../../src/domain/vendor-id.js';

describe('the vendor id rule', () => {
  it.each([
    ['1000038'],
    ['1-143-2048000000017'],
    ['DLP-10050'],
    ['MESSAGE-abc+/=-1732356000000'],
    ['a/b'],
    ['..a'],
    ['a..'],
    ['ünïcödé-😀'],
    [LONG_ID],
    ['x'.repeat(VENDOR_ID_MAX)],
  ])('should accept %j', (id) => {
    expect(vendorIdProblem(id)).toBeNull();
    expect(VendorId.safeParse(id).success).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['.', /dot segment/],
    ['..', /dot segment/],
    ['a/../b', /dot segment/],
    ['..\\b', /dot segment/],
    ['a/.', /dot segment/],
    ['INC-\uD800', /lone surrogate/],
    ['\uDC00INC', /lone surrogate/],
    ['INC\u0000', /control/],
    ['INC\n1', /control/],
    ['INC\u0085', /control/],
    ['INC\u2028', /control/],
    ['INC-\u202E', /control/],
    ['x'.repeat(VENDOR_ID_MAX + 1), /longer than/],
  ])('should refuse %j, saying why', (id, why) => {
    expect(vendorIdProblem(id)).toMatch(why);
    expect(isVendorId(id)).toBe(false);
    const parsed = VendorId.safeParse(id);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^not a usable incident id/);
  });

  it('should refuse every hostile id the simulators serve', () => {
    for (const id of HOSTILE_IDS) expect(isVendorId(id), JSON.stringify(id)).toBe(false);
  });

  it('should make an answer naming another incident an error, and the same one none', () => {
    expect(checkAnsweredId('get', 'INC-1', 'INC-1')).toBeNull();
    expect(checkAnsweredId('get', 'INC-1', 'INC-2')).toMatchObject({ code: 'schema_mismatch' });
  });

  it('should give a long id a short key that is the same every time and differs by source and id', () => {
    expect(LONG_ID.length).toBeGreaterThan(FULL_ID_IN_BUTTON_MAX);
    const key = shortKeyOf({ source: 'pan', id: LONG_ID });
    expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(shortKeyOf({ source: 'pan', id: LONG_ID })).toBe(key);
    expect(shortKeyOf({ source: 'pan2', id: LONG_ID })).not.toBe(key);
    expect(shortKeyOf({ source: 'pan', id: `${LONG_ID}x` })).not.toBe(key);
    expect(shortKeyOf({ source: 'pan', id: 'x'.repeat(FULL_ID_IN_BUTTON_MAX) })).toBeNull();
  });

  it('should name an incident on a button by its id while it fits, else by its short key', () => {
    expect(buttonRefOf({ source: 'pan', id: '7' })).toEqual({ source: 'pan', id: '7' });
    const ref = buttonRefOf({ source: 'pan', id: LONG_ID });
    expect(ref).toEqual({ source: 'pan', shortKey: shortKeyOf({ source: 'pan', id: LONG_ID }) });
    expect(refLabel(ref)).toMatch(/^#[A-Za-z0-9_-]{16}$/);
    expect(refLabel({ source: 'pan', id: '7' })).toBe('7');
  });
});
