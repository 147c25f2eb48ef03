import { DateTime, IANAZone } from 'luxon';

/**
 * Enforce's `localDateTime` values are zone-less wall times on the Enforce server's clock
 * (`2024-05-02T08:14:05.12`), in queries and in responses alike. The adapter keeps instants (UTC `Date`s) and
 * converts at the boundary with the configured `timeZone`.
 */
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A zone-less Enforce time to the instant it names in `zone`; null when it is not one. */
export function fromLocalDateTime(value: string, zone: string): Date | null {
  const m = NAIVE.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Up to nine fractional digits arrive; milliseconds are all a Date holds, so the rest is cut, not rounded.
  const millisecond = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const parsed = DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, { zone });
  // Luxon rolls 2026-02-31 into March; a date that does not exist is not a time.
  if (!parsed.isValid || parsed.day !== day || parsed.month !== month) return null;
  return parsed.toJSDate();
}

/** An instant as Enforce writes it in `zone`: seconds, plus milliseconds only when there are any. */
export function toLocalDateTime(instant: Date, zone: string): string {
  const local = DateTime.fromMillis(instant.getTime(), { zone });
  const seconds = local.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return local.millisecond === 0 ? seconds : `${seconds}.${local.toFormat('SSS')}`;
}
