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

const HOUR_MS = 3_600_000;

/**
 * {@link fromLocalDateTime} for many values in one zone, at two luxon conversions per distinct local hour instead of
 * one per value: within a local hour that no offset change touches (its start and the next hour's start are an hour
 * apart), every wall time maps to the hour's instant plus its minutes; any other hour falls back to luxon per value.
 */
export function createLocalDateTimeReader(zone: string): (value: string) => Date | null {
  const hours = new Map<number, number | null>();
  const hourStart = (wallHour: number): number | null => {
    let instant = hours.get(wallHour);
    if (instant === undefined) {
      const at = (hour: number) => fromLocalDateTime(new Date(hour * HOUR_MS).toISOString().slice(0, 19), zone);
      const [start, next] = [at(wallHour), at(wallHour + 1)];
      instant = start && next && next.getTime() - start.getTime() === HOUR_MS ? start.getTime() : null;
      hours.set(wallHour, instant);
    }
    return instant;
  };
  return (value) => {
    const m = NAIVE.exec(value);
    const fields = m && dateTimeFields(m);
    if (!fields) return null;
    const { year, month, day, hour, minute, second, millisecond } = fields;
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
    // Date.UTC reads years 0–99 as 1900–1999, and the ISO string above holds four-digit years only.
    if (year < 1000 || year > 9999) return fromLocalDateTime(value, zone);
    const wallHour = Math.floor(wall / HOUR_MS);
    const start = hourStart(wallHour);
    return start === null ? fromLocalDateTime(value, zone) : new Date(start + (wall - wallHour * HOUR_MS));
  };
}
