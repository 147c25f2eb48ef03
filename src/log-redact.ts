import pino from 'pino';

export const REDACTED = '[redacted]';

/**
 * Keys whose values never reach a log line, compared lower-cased without `-` and `_`, so `Authorization`,
 * `x-api-key` and `client_secret` are caught wherever they sit (an error's request headers, a nested config).
 * A key ending in one of SECRET_SUFFIXES is covered too (`refreshToken`, `appPassword`, `signingSecret`).
 */
const SECRET_KEYS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie', 'jwt', 'assertion']);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'apikey', 'privatekey', 'clientassertion', 'authorization'];
/** Evidence: a vendor's snippet or matched content, however an object names it. */
const EVIDENCE_KEYS = new Set(['snippet', 'snippets', 'matchedcontent', 'matchcontent', 'violatingcontent']);

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

function isSecretKey(key: string): boolean {
  const k = normalise(key);
  return SECRET_KEYS.has(k) || EVIDENCE_KEYS.has(k) || SECRET_SUFFIXES.some((suffix) => k.endsWith(suffix));
}

/**
 * Secrets that travel inside text: an error message quoting a URL with credentials or a header, a library's
 * debug line. Each pattern keeps what says what it was and blanks the rest.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, `[redacted private key]`],
  [/\b(Bearer|Basic|Negotiate)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  [
    /([?&](?:access_token|refresh_token|id_token|token|client_secret|password|api_?key|key|sig|signature)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  ],
];

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deeper than any log object we write: a cut-off keeps a hostile or cyclic object from costing a log line. */
const MAX_DEPTH = 10;

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    // Errors keep their type, message, stack and cause chain (pino's own serializer), then get the same treatment.
    if (value instanceof Error) return redactValue(pino.stdSerializers.err(value), depth, seen);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    // Objects that say how they serialise (Secret, Date, Buffer) are trusted to: Secret already prints redacted.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? REDACTED : redactValue(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A copy of a log object with every secret and every piece of evidence blanked, at any depth and under any
 * casing of its key, and with secrets found inside strings blanked too. pino's path-based `redact` cannot do
 * this: its paths are exact and case-sensitive, so `Authorization` or `err.config.headers.authorization`
 * slipped through.
 */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return redactValue(object, 0, new WeakSet()) as Record<string, unknown>;
}
