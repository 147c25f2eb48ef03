import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import { canonicalJson, contentHash, type StoredIncident } from '../../../src/store/index.js';
import { incident, minutes } from './fixtures.js';

describe('contentHash', () => {
  it('should keep producing the hashes already stored in databases (a pinned value)', () => {
    // Changing the canonical form would make every stored incident look changed and re-announce updates.
    const fields = { ...incident() } as Record<string, unknown>;
    const expected = createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
    expect(contentHash(incident())).toBe(expected);
    expect(contentHash(incident())).toBe('665e02319ad3e067c3172c217165e64dbf4a9cbc1ae40ed3214eacfe155817e4');
  });

  it('should be a sha256 hex string and the same for equal incidents built in any key order', () => {
    const a = incident();
    const reversed = Object.fromEntries(Object.entries(a).reverse()) as Incident;
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(reversed)).toBe(contentHash(a));
    expect(contentHash({ ...a, createdAt: new Date(a.createdAt.getTime()) })).toBe(contentHash(a));
  });

  it('should ignore store bookkeeping so a StoredIncident hashes like the incident it holds', () => {
    const a = incident();
    const stored: StoredIncident = {
      ...a,
      contentHash: 'x',
      slaState: 'breached',
      slaDeadline: minutes(1),
      firstSeenAt: minutes(2),
      lastSeenAt: minutes(3),
      lastSeenScan: 'scan-9',
    };
    expect(contentHash(stored)).toBe(contentHash(a));
  });

  const changes: { [K in keyof Incident]-?: Incident[K] } = {
    source: 'zwa-prod',
    id: 'INC-2',
    severity: 'critical',
    status: 'open',
    rawStatus: 'Open',
    createdAt: minutes(1),
    updatedAt: minutes(6),
    policy: 'PII',
    actor: 'eve@corp.example',
    channel: 'web',
    application: 'Teams',
    fileName: 'cards-v2.xlsx',
    matchCount: 13,
    assignee: null,
    link: 'https://console.example/incidents/INC-2',
  };

  it.each(Object.keys(changes) as (keyof Incident)[])('should change when %s changes', (field) => {
    const base = incident();
    expect(base[field]).not.toEqual(changes[field]);
    expect(contentHash({ ...base, [field]: changes[field] })).not.toBe(contentHash(base));
  });

  it('should hash text JSON escapes (quotes, backslashes, control characters, surrogates) as canonicalJson writes it', () => {
    for (const text of [
      'say "hi"',
      'C:\\temp',
      'tab\tnew\nline\u0001',
      'lone \ud800 half',
      '\udc00',
      '😀 漢字 é',
      '\u2028',
      '',
    ]) {
      const hostile = incident({ policy: text, actor: text, fileName: text });
      const expected = createHash('sha256')
        .update(canonicalJson({ ...hostile }), 'utf8')
        .digest('hex');
      expect(contentHash(hostile)).toBe(expected);
    }
  });

  it('should tell null from a value that prints the same', () => {
    expect(contentHash(incident({ matchCount: null }))).not.toBe(contentHash(incident({ matchCount: 0 })));
    expect(contentHash(incident({ policy: null }))).not.toBe(contentHash(incident({ policy: 'null' })));
    expect(contentHash(incident({ updatedAt: null }))).not.toBe(contentHash(incident({ updatedAt: new Date(0) })));
  });
});

describe('canonicalJson', () => {
  it('should sort keys at every level, including integer-like keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, 10: 'x', 9: 'y' })).toBe(
      '{"10":"x","9":"y","a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('should write Dates as ISO strings and leave undefined properties out', () => {
    expect(canonicalJson({ at: new Date('2025-03-01T10:00:00Z'), gone: undefined })).toBe(
      '{"at":"2025-03-01T10:00:00.000Z"}',
    );
  });

  it('should refuse numbers with no JSON form instead of writing null', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});
