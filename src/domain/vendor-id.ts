import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type AdapterError, adapterError } from './errors.js';

/**
 * The id rule every adapter applies to what a vendor calls an incident, at the boundary: an id that breaks it skips
 * its record (counted, like any malformed one) and is never sent back to the vendor, drawn on a card or stored.
 */

/** Longer than any id a vendor documents, short enough for a database key and a log line. */
export const VENDOR_ID_MAX = 1024;

/**
 * Ids longer than this travel in buttons and forms as a short key the store maps back (`shortKeyOf`): a button's
 * value holds a whole id only up to here, as buttons posted before short keys existed do.
 */
export const FULL_ID_IN_BUTTON_MAX = 256;

/** C0 and C1 controls, line and paragraph separators, and the bidirectional overrides and isolates. */
const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** In a `u` regex a paired surrogate is one code point, so this matches only a lone half. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** A path segment `.` or `..`, alone or between slashes: a proxy that decodes `%2F` would walk up the path with it. */
const DOT_SEGMENT = /(?:^|[/\\])\.{1,2}(?:[/\\]|$)/;

/** Why `id` cannot name an incident, or null when it can. */
export function vendorIdProblem(id: string): string | null {
  if (id.length === 0) return 'empty';
  if (id.length > VENDOR_ID_MAX) return `longer than ${VENDOR_ID_MAX} characters`;
  if (LONE_SURROGATE.test(id)) return 'not valid Unicode (a lone surrogate)';
  if (CONTROL.test(id)) return 'contains a control character';
  if (DOT_SEGMENT.test(id)) return 'a dot segment (`.` or `..`)';
  return null;
}

export const isVendorId = (id: string): boolean => vendorIdProblem(id) === null;

/** A vendor's incident id, checked with the rule above; for every schema that reads one. */
export const VendorId = z.string().check((ctx) => {
  const problem = vendorIdProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: `not a usable incident id: ${problem}`, input: ctx.value });
});

/** What an adapter answers for an id the rule refuses: nothing is sent to the vendor for it. */
export function invalidIdError(op: string, id: string): AdapterError {
  return adapterError('not_found', `${op}: not an incident id (${vendorIdProblem(id) ?? 'refused'})`);
}

/** A lookup by id answered with another incident: an error, never a record to store under either id. */
export function otherIncidentError(op: string): AdapterError {
  const message = `${op}: the vendor answered with a different incident than the one asked for`;
  return adapterError('schema_mismatch', message, { issues: ['id: not the id asked for'] });
}

/** Null when the vendor's answer names the incident asked for, else the error to return instead of the answer. */
export function checkAnsweredId(op: string, asked: string, answered: string): AdapterError | null {
  return asked === answered ? null : otherIncidentError(op);
}

/** An incident named by its short key: what a button or form carries for an id over `FULL_ID_IN_BUTTON_MAX`. */
export interface ShortRef {
  source: string;
  shortKey: string;
}

/** 16 URL-safe characters, as `shortKeyOf` makes them. */
export const SHORT_KEY = /^[A-Za-z0-9_-]{16}$/;

/**
 * The short key of an incident whose id is over `FULL_ID_IN_BUTTON_MAX` (null for any other): 96 bits of a SHA-256
 * of source and id, the same every time, so every card drawn for it carries the key the store maps back.
 */
export function shortKeyOf(key: { source: string; id: string }): string | null {
  if (key.id.length <= FULL_ID_IN_BUTTON_MAX) return null;
  return createHash('sha256').update(`${key.source}\n${key.id}`).digest('base64url').slice(0, 16);
}

/** How a button names an incident: by its key, or by its short key when the id is too long to carry whole. */
export function buttonRefOf(key: { source: string; id: string }): { source: string; id: string } | ShortRef {
  const shortKey = shortKeyOf(key);
  return shortKey ? { source: key.source, shortKey } : { source: key.source, id: key.id };
}

/** What logs call the incident a button names: its id, or its short key after a `#`. */
export const refLabel = (ref: { id: string } | ShortRef): string => ('id' in ref ? ref.id : `#${ref.shortKey}`);
