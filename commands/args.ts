import { z } from 'zod';
import { Severity } from '../src/domain/incident.js';

/** Shared argument pieces, so every command words the same mistake the same way. */

export const jsonFlag = { json: { type: 'boolean' } } as const;

export const noPositionals = z.array(z.string()).max(0, 'this command takes no positional arguments');

export const severityArg = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(Severity.or(z.literal('informational').transform(() => 'info' as const)))
  .describe('severity');

/** Flags arrive as strings; this turns `--limit 20` into 20 and rejects `--limit lots` clearly. */
export const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.int().min(1, 'must be at least 1').max(max, `must be at most ${max}`));

/** `7d`, `24h`, `30m` before now, or an ISO date/time. */
export function parseSince(value: string, now: Date): Date | null {
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const timeArg = z.string().refine((v) => parseSince(v, new Date(0)) !== null, {
  message: 'expected a date (2026-11-01), a date-time (2026-11-01T09:00:00Z) or a span back from now (7d, 24h, 30m)',
});
