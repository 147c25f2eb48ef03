import { z } from 'zod';
import type { IncidentKey } from '../domain/incident.js';

/**
 * What a button carries: a schema version and the incident key, nothing else (no PII, no secrets). The
 * version lets messages posted by an older release keep working after an upgrade.
 */
export const ButtonValue = z.strictObject({
  v: z.literal(1),
  s: z.string().min(1).max(64),
  i: z.string().min(1).max(256),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

export function encodeButtonValue(key: IncidentKey): string {
  return JSON.stringify({ v: 1, s: key.source, i: key.id } satisfies ButtonValue);
}

export function decodeButtonValue(raw: string): IncidentKey | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = ButtonValue.safeParse(json);
  return parsed.success ? { source: parsed.data.s, id: parsed.data.i } : null;
}
