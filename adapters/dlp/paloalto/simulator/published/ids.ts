import { createHash } from 'node:crypto';
import { hashSeed } from '../../../simulator-kit/prng.js';

/** The published API's ids for the dataset's records: uuids and numeric report ids, both derived from the position. */

const ID_SALT = 0x1d5;
const REPORT_BASE = 1_100_000_000;
export const TENANT_ID = '7000000000000000001';

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(8, '0').slice(-width);

/** A version-4-shaped uuid whose last 12 hex digits are the position, so it can be read back without a table. */
export function publishedIdOf(seed: number, position: number): string {
  const a = hashSeed(seed, position, ID_SALT);
  const b = hashSeed(position, seed, ID_SALT);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-a${hex(a >>> 12, 3)}-${position.toString(16).padStart(12, '0')}`;
}

export function positionOfPublishedId(seed: number, id: string): number | undefined {
  const m = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-([0-9a-f]{12})$/.exec(id);
  if (!m?.[1]) return undefined;
  const position = Number.parseInt(m[1], 16);
  return publishedIdOf(seed, position) === id ? position : undefined;
}

export function reportIdOf(position: number): string {
  return String(REPORT_BASE + position);
}

export function positionOfReport(reportId: string): number | undefined {
  return /^\d{10}$/.test(reportId) && Number(reportId) >= REPORT_BASE ? Number(reportId) - REPORT_BASE : undefined;
}

export function fileShaOf(seed: number, position: number): string {
  return createHash('sha256').update(`pan-sim:${seed}:${position}`).digest('hex');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `yyyy-MMM-dd HH:mm:ss z`, as `incident_creation_time` is written ("2023-Dec-07 18:41:12 UTC"). */
export function creationTime(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCDate())} ${time} UTC`;
}

/** `MM/dd/yyyy HH:mm:ss GMT`, as a report's `detection_time` is written. */
export function detectionTime(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${time} GMT`;
}
