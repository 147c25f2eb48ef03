/**
 * The range checks simulators and dataset generators make on their options, in one wording, so a bad knob
 * (`dlp-bot simulate --breached-share 2`) reads the same whichever vendor is simulated. Each throws a RangeError.
 */

export function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/** `value` may be omitted (the caller's default applies); given, it must be a share within 0..1. */
export function shareWithinOne(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0..1`);
}

/** A per-hour rate such as `arrivalsPerHour`; Infinity would schedule endless records at once. */
export function finiteRate(name: string, rate: number): void {
  if (!(rate >= 0 && Number.isFinite(rate))) throw new RangeError(`${name} must be a finite number >= 0`);
}

/** How many records to generate; `max` keeps a typo from exhausting memory. */
export function incidentCountWithin(count: number, max: number): void {
  if (!Number.isInteger(count) || count < 0 || count > max) {
    throw new RangeError(`incidents must be an integer within 0..${max}`);
  }
}
