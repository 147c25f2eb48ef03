import { DateTime, IANAZone } from 'luxon';
import { dateTimeFields } from '../../../src/domain/date-fields.js';

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
  const fields = m && dateTimeFields(m);
  if (!fields) return null;
  const parsed = DateTime.fromObject(fields, { zone });
  // Luxon moves a wall time inside a DST gap forward; it must still land on the day that was written.
  if (!parsed.isValid || parsed.day !== fields.day || parsed.month !== fields.month) return null;
  return parsed.toJSDate();
}

/** An instant as Enforce writes it in `zone`: seconds, plus milliseconds only when there are any. */
export function toLocalDateTime(instant: Date, zone: string): string {
  const local = DateTime.fromMillis(instant.getTime(), { zone });
  const seconds = local.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return local.millisecond === 0 ? seconds : `${seconds}.${local.toFormat('SSS')}`;
}
