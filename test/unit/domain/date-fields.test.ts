import { describe, expect, it } from 'vitest';
import { dateTimeFields } from '../../../src/domain/date-fields.js';

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

function fields(value: string) {
  const match = PATTERN.exec(value);
  if (!match) throw new Error(`test pattern does not match ${value}`);
  return dateTimeFields(match);
}

describe('dateTimeFields', () => {
  it('reads the written fields, with the fraction as milliseconds', () => {
    expect(fields('2024-05-02T08:14:05.12')).toEqual({
      year: 2024,
      month: 5,
      day: 2,
      hour: 8,
      minute: 14,
      second: 5,
      millisecond: 120,
    });
    expect(fields('2024-05-02T08:14:05')?.millisecond).toBe(0);
  });

  it('cuts digits past the millisecond instead of rounding them', () => {
    expect(fields('2024-05-02T08:14:05.123999999')?.millisecond).toBe(123);
  });

  it('refuses days that do not exist in the month', () => {
    expect(fields('2026-02-31T00:00:00')).toBeNull();
    expect(fields('2026-02-29T00:00:00')).toBeNull();
    expect(fields('2028-02-29T00:00:00')?.day).toBe(29);
    expect(fields('2026-04-31T00:00:00')).toBeNull();
    expect(fields('2026-01-00T00:00:00')).toBeNull();
  });

  it('refuses out-of-range months and clock fields', () => {
    for (const value of [
      '2026-13-01T00:00:00',
      '2026-00-01T00:00:00',
      '2026-01-01T24:00:00',
      '2026-01-01T23:60:00',
      '2026-01-01T23:59:60',
    ]) {
      expect(fields(value), value).toBeNull();
    }
  });

  it('reads years below 100 as written, not as 19xx', () => {
    expect(fields('0004-02-29T00:00:00')?.year).toBe(4);
  });
});
