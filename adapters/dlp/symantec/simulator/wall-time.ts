import { IANAZone } from 'luxon';
import { dateTimeFields } from '../../../../src/domain/date-fields.js';

/**
 * The simulated Enforce server keeps its clock in a zone and compares `localDateTime` values as naive wall
 * times, as Enforce does. Wall times are held as "ms as if UTC" so they compare as numbers.
 */
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;
const QUARTER_HOUR = 900_000;

export interface WallClock {
  /** The zone's wall time at an instant. */
  wallMs(utcMs: number): number;
}

export function createWallClock(zone: string): WallClock {
  if (zone === 'UTC') return { wallMs: (utcMs) => utcMs };
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new RangeError(`unknown time zone ${zone}`);
  // Offsets change on quarter-hour boundaries at most; formatting a date per record would dominate generation.
  const cache = new Map<number, number>();
  return {
    wallMs(utcMs) {
      const bucket = Math.floor(utcMs / QUARTER_HOUR);
      let offset = cache.get(bucket);
      if (offset === undefined) {
        offset = iana.offset(bucket * QUARTER_HOUR) * 60_000;
        cache.set(bucket, offset);
      }
      return utcMs + offset;
    },
  };
}

/** Enforce's format: seconds, then 0–3 fractional digits without trailing zeros (`2022-03-15T07:00:11.7`). */
export function formatWall(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return fraction ? `${iso.slice(0, 19)}.${fraction}` : iso.slice(0, 19);
}

/** A naive value from a query (XSOAR's trailing `Z` is accepted and ignored, as the reference says Enforce does). */
export function parseWall(value: string): number | null {
  const m = NAIVE.exec(value);
  const f = m && dateTimeFields(m);
  return f && Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
}
