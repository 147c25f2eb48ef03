import type { Json } from './types.js';

/** Internal: how a method handler answers, and small readers for form-encoded arguments. */

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: Json;
  /** Not sent at all: `drop` ends the connection, `hang` leaves it open with no answer. */
  transport?: 'drop' | 'hang';
}

export type Handler = (args: Json) => Reply;

export const ok = (body: Json = {}): Reply => ({ status: 200, body: { ok: true, ...body } });

export const fail = (error: string, extra: Json = {}): Reply => ({ status: 200, body: { ok: false, error, ...extra } });

/** Slack's shape for schema errors: the list, and the same lines as `[ERROR]` response_metadata messages. */
export const schemaFail = (error: string, errors: string[]): Reply =>
  fail(error, { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A form field as a string (form values always are; JSON bodies may carry numbers or booleans). */
export function str(args: Json, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];

/** Nested objects arrive as JSON strings inside form fields; parse the ones Slack parses. */
export function parseArgs(raw: Json): Json {
  const args: Json = { ...raw };
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as the raw string: the validators answer invalid_*_format for it.
    }
  }
  return args;
}

export function bodyToArgs(contentType: string | undefined, body: string, query: URLSearchParams): Json {
  const args: Json = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json' && body !== '') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isObject(parsed)) Object.assign(args, parsed);
    } catch {
      // Slack ignores an unparsable JSON body; the method then sees no arguments.
    }
  } else if (body !== '') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body)));
  }
  return parseArgs(args);
}
