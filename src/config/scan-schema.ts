import { z } from 'zod';
import { isValidTimeZone } from '../domain/sla-config.js';
import { cronExpression } from './schedules-schema.js';

/** `scan`: when sources are scanned, how far incremental scans look back, and when a full pass is not believed. */
export const ScanConfig = z.strictObject({
  schedule: cronExpression.default('*/15 * * * *'),
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'unknown IANA time zone (e.g. "Europe/Berlin")')
    .optional()
    .describe(
      'Zone the scan schedules are read in (default UTC). Scans are a rhythm: an hour the clock repeats is scanned twice.',
    ),
  fullResyncEvery: z.int().min(1).default(4).describe('Every Nth scheduled scan is a full pass.'),
  overlapMinutes: z.int().min(0).default(10).describe('Incremental scans re-read this far behind the watermark.'),
  vanishGuard: z
    .strictObject({
      share: z.number().gt(0).max(1).default(0.5),
      minIncidents: z.int().min(1).default(5),
    })
    .default({ share: 0.5, minIncidents: 5 })
    .describe(
      'A full pass that loses at least this share of the open incidents (and at least minIncidents) with no status from the vendor, or gets "not found" for that share of those it looks up, closes nothing and marks the source degraded.',
    ),
});
export type ScanConfig = z.infer<typeof ScanConfig>;
