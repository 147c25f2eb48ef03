import { SECRET_FILL, type Span } from './spans.js';

/**
 * Credentials a DLP snippet often holds, one shape per row. Each pattern names the part to hide `secret` (or, for
 * a quoted value, `dq`/`sq`); what stands before it (the kind: `AKIA`, `eyJ`, `xoxb-`, `password=`, a PEM's BEGIN
 * line) stays, so the reader still knows what was there. Every pattern starts only where its kind starts (a
 * lookbehind or a literal), so none rescans a long run from each position inside it.
 */
const CREDENTIALS: readonly RegExp[] = [
  // A PEM private key, to its END line or, cut short, to the end of what we have.
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?<secret>[\s\S]*?)(?=-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/dg,
  // A JWT: base64url header (`{"` is `eyJ`), payload and optional signature.
  /(?<![\w-])eyJ(?<secret>[\w-]{4,}\.eyJ[\w-]{4,}(?:\.[\w-]*)?)/dg,
  // An AWS access key id; its four-letter prefix says which kind.
  /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)(?<secret>[A-Z0-9]{16})(?![A-Z0-9])/dg,
  // An AWS secret access key, or any 40-character base64 token mixing upper and lower case and digits.
  /(?<![A-Za-z0-9/+=])(?<secret>(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dg,
  // Slack bot, user and app tokens, and incoming-webhook paths.
  /(?<![\w-])(?:xox[abeoprs]|xapp)-(?<secret>[A-Za-z0-9-]{10,})/dg,
  /hooks\.slack\.com\/services\/(?<secret>[A-Za-z0-9/]{10,})/dg,
  // GitHub and Stripe keys, frequent in pasted code.
  /(?<!\w)(?:gh[pousr]_|github_pat_)(?<secret>\w{20,})/dg,
  /(?<!\w)[rs]k_(?:live|test)_(?<secret>[A-Za-z0-9]{16,})/dg,
  // An Authorization header or a curl line: `Bearer <token>`, `Basic <base64>`.
  /(?<![A-Za-z])(?:Bearer|Basic)[ \t]+(?<secret>(?=[\w.~+/-]{0,200}[0-9])[\w.~+/-]{16,}=*)/dgi,
  // `password=…`, `"api_key": "…"`, `client_secret: …`, `DB_PASSWORD=…`: the name stays, its value goes.
  /(?:passw(?:or)?d|passphrase|pwd|secret(?!ar)|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[\w.-]{0,30}["']?[ \t]{0,3}[:=][ \t]{0,3}(?:"(?<dq>[^"\r\n]{1,256})"|'(?<sq>[^'\r\n]{1,256})'|(?<secret>[^\s"',;&<>]{1,256}))/dgi,
];

export function credentialSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of CREDENTIALS) {
    for (const match of text.matchAll(pattern)) {
      const groups = match.indices?.groups;
      const at = groups?.secret ?? groups?.dq ?? groups?.sq;
      if (at && at[1] > at[0]) spans.push({ start: at[0], end: at[1], style: 'collapse', fill: SECRET_FILL });
    }
  }
  return spans;
}

/**
 * Email addresses, local parts in any script (`josé.müller@`, `дмитрий@`). The first character and the domain
 * stay: who it was sent to is hidden, which organisation it went to is what the reviewer weighs.
 */
const EMAIL = /(?<![\p{L}\p{M}\p{N}._%+'-])[\p{L}\p{M}\p{N}._%+'-]+@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)+/gu;

export function emailSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const first = match[0].codePointAt(0) ?? 0;
    const start = match.index + (first > 0xffff ? 2 : 1);
    const at = match.index + match[0].indexOf('@');
    if (at > start) spans.push({ start, end: at, style: 'collapse', fill: 3 });
    // A one-character local part has nothing after its first character to hide, so it goes whole.
    else spans.push({ start: match.index, end: at, style: 'collapse', fill: 3 });
  }
  return spans;
}
