import { describe, expect, it } from 'vitest';
import { createLocalDateTimeReader, fromLocalDateTime } from '../../../adapters/dlp/symantec/local-time.js';

const MINUTE = 60_000;

/** Every 7 minutes and 13 seconds across two days, so each hour is hit at different minutes. */
function wallTimesAround(isoDay: string): string[] {
  const start = Date.parse(`${isoDay}T00:00:00Z`) - 86_400_000;
  const values: string[] = [];
  for (let t = start; t < start + 2 * 86_400_000; t += 7 * MINUTE + 13_000) {
    values.push(new Date(t).toISOString().slice(0, 23));
  }
  return values;
}

describe('createLocalDateTimeReader', () => {
  it.each([
    ['Europe/Berlin', '2026-03-29'],
    ['Europe/Berlin', '2026-10-25'],
    ['America/New_York', '2026-11-01'],
    ['Australia/Lord_Howe', '2026-04-05'],
    ['UTC', '2026-06-01'],
  ])('should read every wall time in %s around %s exactly as fromLocalDateTime does', (zone, day) => {
    const read = createLocalDateTimeReader(zone);
    for (const value of wallTimesAround(day)) {
      expect(read(value)?.getTime(), value).toBe(fromLocalDateTime(value, zone)?.getTime());
    }
  });

  it('should refuse what is not a real local date-time', () => {
    const read = createLocalDateTimeReader('Europe/Berlin');
    for (const value of ['2026-02-31T10:00:00', '2026-03-29T02:30:00', 'yesterday', '2026-03-10T24:00:00']) {
      expect(read(value)?.getTime(), value).toBe(fromLocalDateTime(value, 'Europe/Berlin')?.getTime());
    }
    expect(read('2026-02-31T10:00:00')).toBeNull();
  });
});
