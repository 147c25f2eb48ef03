import { describe, expect, it } from 'vitest';
import { enforceIdOf, SymPatchResponse } from '../../../adapters/dlp/symantec/schema.js';

/** Enforce ids are Java longs, sent as numbers or numeric strings; the fast check must agree with the schema's rule. */
describe('Symantec schema: incident ids', () => {
  it('should read numbers and numeric strings as ids, and refuse anything else', () => {
    expect(enforceIdOf(2_147_483_650)).toBe(2_147_483_650);
    expect(enforceIdOf('2147483650')).toBe(2_147_483_650);
    for (const bad of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2, '0', '-5', '1.5', '12ab', '', null, undefined, {}]) {
      expect(enforceIdOf(bad)).toBeNull();
    }
  });

  it("should read a bulk PATCH's updated ids, and refuse the answer when one of them is not an id", () => {
    expect(SymPatchResponse.parse({ updatedIncidentIds: [5012, '5013'] }).updatedIncidentIds).toEqual([5012, 5013]);
    expect(SymPatchResponse.safeParse({ updatedIncidentIds: [5012, 'x'] }).success).toBe(false);
    expect(SymPatchResponse.safeParse({ updatedIncidentIds: 5012 }).success).toBe(false);
    expect(SymPatchResponse.safeParse({}).success).toBe(false);
  });
});
