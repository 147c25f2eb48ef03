import { describe, expect, it } from 'vitest';
import { HOSTILE_IDS } from '../../../adapters/dlp/simulator-kit/hostile.js';
import {
  checkAnsweredId,
  isVendorId,
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
    [`INC-${'0123456789abcdef'.repeat(19)}-long`],
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
});
