import { describe, expect, it } from 'vitest';
import { recordFingerprint } from '../../../src/scan/record-fingerprint.js';

describe('recordFingerprint', () => {
  const record = { incidentId: 'INC-1', severity: 'high', snippet: 'card 4111 1111 1111 1111' };

  it('should give the same fingerprint for the same record delivered again', () => {
    expect(recordFingerprint(structuredClone(record))).toBe(recordFingerprint(record));
  });

  it('should give a different fingerprint when any field changes', () => {
    expect(recordFingerprint({ ...record, severity: 'low' })).not.toBe(recordFingerprint(record));
    expect(recordFingerprint([record])).not.toBe(recordFingerprint(record));
  });

  it('should keep none of the record, which may hold evidence', () => {
    const print = recordFingerprint(record);
    expect(print).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(print).not.toContain('4111');
  });

  it('should fingerprint values with no JSON form instead of throwing', () => {
    expect(recordFingerprint(undefined)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(recordFingerprint(undefined)).not.toBe(recordFingerprint(null));
  });
});
