import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseValidator } from '../../../src/http/index.js';

const Token = z.looseObject({ access_token: z.string(), expires_in: z.number().optional() });
const validated = responseValidator('Enforce');

describe('responseValidator', () => {
  it('should return the parsed body, keeping unknown vendor fields', () => {
    const result = validated(Token, 'fetchToken', { access_token: 'abc', extra: 1 });
    expect(result).toEqual({ ok: true, value: { access_token: 'abc', extra: 1 } });
  });

  it('should map a mismatch to schema_mismatch naming the call and the API', () => {
    const result = validated(Token, 'fetchToken', { access_token: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('schema_mismatch');
    expect(result.error.message).toBe('fetchToken: the response did not match the Enforce API schema');
    expect(result.error.issues).toEqual([expect.stringMatching(/^access_token: /)]);
  });

  it('should never echo the offending values, which may be tokens or evidence', () => {
    const secret = 'SSN 123-45-6789 in the matched content';
    const result = validated(z.object({ snippet: z.number() }), 'listIncidents', { snippet: secret });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('123-45-6789');
  });

  it('should name a mismatch of the whole body as (root) and nested fields by their dotted path', () => {
    const Page = z.object({ items: z.array(z.object({ id: z.string() })) });
    const root = validated(Page, 'page', 'not json');
    const nested = validated(Page, 'page', { items: [{ id: 'a' }, { id: 7 }] });
    expect(root.ok ? [] : root.error.issues).toEqual([expect.stringMatching(/^\(root\): /)]);
    expect(nested.ok ? [] : nested.error.issues).toEqual([expect.stringMatching(/^items\.1\.id: /)]);
  });

  it('should keep at most ten issues so one broken page cannot flood a log line', () => {
    const Wide = z.object(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, z.string()])));
    const result = validated(Wide, 'page', {});
    expect(result.ok ? [] : result.error.issues).toHaveLength(10);
  });
});
