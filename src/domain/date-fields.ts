/** The calendar fields of a written date-time such as `2024-05-02T08:14:05.12`, whatever zone suffix follows. */
export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * Fields from a pattern match whose groups 1–6 hold year, month, day, hour, minute, second and group 7 the optional
 * fraction digits; each vendor's pattern adds its own suffix (offset, `Z`, nothing). Null when a field is out of range
 * or the day does not exist in that month: `Date` and luxon would roll `2026-02-31` into March instead of refusing it.
 */
export function dateTimeFields(match: RegExpExecArray): DateTimeFields | null {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  // Up to nine fractional digits arrive; milliseconds are all a Date holds, so the rest is cut, not rounded.
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  return { year, month, day, hour, minute, second, millisecond };
}

function daysInMonth(year: number, month: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}
