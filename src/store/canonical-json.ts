import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and Dates as ISO strings, so equal values always give
 * equal text (and equal hashes). Written out by hand because JSON.stringify puts integer-like keys first
 * whatever their order, and turns NaN and Infinity into null without complaint (here they throw).
 * Undefined properties are left out and undefined array items become null, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      return canonicalObject(value);
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

function canonicalObject(value: object): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

export function sha256hex(text: string): string {
  // The one-shot form (Node >= 20.12) skips the Hash object: measurably cheaper at one call per incident.
  return hash('sha256', text, 'hex');
}
