import { dateTimeFields } from '../../../src/domain/date-fields.js';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** `2026-11-23T10:00:00Z`: the second-precision UTC form the vendor specs show. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * Strict RFC 3339 `date-time` (what OpenAPI's `format: date-time` means) to epoch ms, or null.
 * `Date.parse` alone accepts `2026-02-31` (rolling into March) and many non-ISO forms.
 */
export function parseDateTime(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m || !dateTimeFields(m)) return null;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  const ms = Date.parse(value.toUpperCase());
  return Number.isNaN(ms) ? null : ms;
}
