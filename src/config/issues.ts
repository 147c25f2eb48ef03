import type { z } from 'zod';
import { didYouMean } from '../did-you-mean.js';

/** One problem in a config file, located by its key path (`sources[0] (pan-prod).clientSecretEnv`) or line. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Top-level lists whose entries people know by one of their own keys rather than by position. */
const ENTRY_NAMES: Readonly<Record<string, string>> = { sources: 'id', routes: 'name' };

/** Only a plain word is echoed back beside an index; anything else in that key has its own error. */
const PRINTABLE_NAME = /^[\w.:@-]{1,64}$/;

/**
 * `['sources', 3, 'privateKeyEnv']` → `sources[3] (symphony-prod).privateKeyEnv`: the entry's id (a route's
 * `name`) read from `raw`, the file as parsed, since an index alone sends people counting list items.
 */
export function formatKeyPath(path: readonly PropertyKey[], raw?: unknown): string {
  if (path.length === 0) return '(top level)';
  const list = path[0];
  return path
    .map((key, i) => {
      if (typeof key !== 'number') return i === 0 ? String(key) : `.${String(key)}`;
      const name = i === 1 && typeof list === 'string' ? entryName(raw, list, key) : undefined;
      return name === undefined ? `[${key}]` : `[${key}] (${name})`;
    })
    .join('');
}

function entryName(raw: unknown, list: string, index: number): string | undefined {
  const field = ENTRY_NAMES[list];
  if (field === undefined) return undefined;
  const entry = childOf(childOf(raw, list), index);
  const name = childOf(entry, field);
  return typeof name === 'string' && PRINTABLE_NAME.test(name) ? name : undefined;
}

/** zod's issues as problems a person can act on: entries named, and each unknown key with its likely spelling. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  schema: z.core.$ZodType,
): ConfigProblem[] {
  return issues.flatMap((issue) => {
    const path = formatKeyPath(issue.path, raw);
    if (issue.code !== 'unrecognized_keys') return [{ path, message: issue.message }];
    const known = knownKeysAt(schema, issue.path, raw);
    return issue.keys.map((key) => ({ path, message: unknownKeyMessage(key, known) }));
  });
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  if (hint || known.length === 0) return `unknown key "${key}"${hint}`;
  return `unknown key "${key}" (expected one of: ${known.join(', ')})`;
}

/** The keys the object schema at `path` accepts; a union (a source's vendor) is resolved by the file's own value. */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[], raw: unknown): string[] {
  let node: z.core.$ZodType | undefined = schema;
  let value = raw;
  for (const key of path) {
    node = node && childSchema(pickVariant(unwrap(node), value), key);
    value = childOf(value, key);
  }
  const found = node && pickVariant(unwrap(node), value);
  return found?._zod.def.type === 'object' ? Object.keys((found as z.core.$ZodObject)._zod.def.shape) : [];
}

/** Past the wrappers that do not change which keys an object takes (defaults, optional, transforms, refinements). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}

/** The union member the file's entry means, by its discriminator (`vendor: paloalto`); else the schema itself. */
function pickVariant(schema: z.core.$ZodType, value: unknown): z.core.$ZodType {
  const def = schema._zod.def as { type: string; options?: z.core.$ZodType[]; discriminator?: string };
  if (def.type !== 'union' || !def.options || !def.discriminator) return schema;
  const wanted = childOf(value, def.discriminator);
  const match = def.options.find((option) =>
    option._zod.propValues?.[def.discriminator ?? '']?.has(wanted as z.core.util.Primitive),
  );
  return match ? unwrap(match) : schema;
}

function childSchema(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const def = schema._zod.def as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
    valueType?: z.core.$ZodType;
  };
  if (def.type === 'object') return def.shape?.[String(key)];
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

function childOf(value: unknown, key: PropertyKey): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
}
