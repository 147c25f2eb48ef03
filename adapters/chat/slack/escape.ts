/**
 * Text safety for Slack. Vendor text (policy and file names, users, ids) is untrusted and may be hostile.
 *
 * - Wherever Block Kit allows it, view text goes into a `plain_text` object (headers, section text, field values,
 *   context, buttons). Slack never parses `plain_text` for mentions, links or formatting, so it is sent as is:
 *   escaping it as well would make Slack show `&lt;` literally.
 * - Where text has to be `mrkdwn` (our bold field labels, a link's label, the monospaced table, the notification
 *   fallback), `escapeMrkdwn` turns `&`, `<` and `>` into entities, which kills every control sequence:
 *   `<!channel>`, `<!here>`, `<@U123>`, `<#C123>`, `<!subteam^S1>`, `<!date^…>`, `<https://x|label>`.
 * - Plain `@channel`/`@here` only notify with `link_names` or `parse: full`, which this adapter never sets; mrkdwn
 *   objects also set `verbatim: true`, so Slack does not auto-link channel names or URLs inside them.
 * - mrkdwn has no escape for `*` `_` `~` `` ` `` or a leading `>`. `inertMrkdwn` swaps them for look-alikes
 *   (∗ ˍ ∼ ˋ, the set jsx-slack uses) and puts a soft hyphen before a line-leading `>`. Look-alikes are visible and
 *   certain; zero-width characters would be invisible, uncertain, and would silently break copy and paste. It is
 *   only used where vendor text cannot be `plain_text`, so vendor values are otherwise shown exactly.
 * - Right-to-left text and zero-width characters are kept. Bidi controls cannot leak past the `plain_text` object
 *   holding them; in the table, where cells share a line, `confineBidi` wraps a cell in an isolate.
 */

/** `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, in that order; nothing else is encoded. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LOOKALIKE: Readonly<Record<string, string>> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };

/** Escaped, and formatting characters replaced, so the text renders as written: never bold, a quote or code. */
export function inertMrkdwn(text: string): string {
  return escapeMrkdwn(text)
    .replace(/[*_~`]/g, (ch) => LOOKALIKE[ch] ?? ch)
    .replace(/^([^\S\n]*)&gt;/gm, '$1\u00AD&gt;');
}

/** For text inside a ``` code block: only a backtick run could end the block early. */
export function escapeCode(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, LOOKALIKE['`'] ?? '');
}

const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const ISOLATE_OPEN = /[\u2066-\u2068]/;
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * Keeps bidirectional controls (a right-to-left override making `exe.txt` read as `txt.exe`) from reordering
 * the text after `text`: it is wrapped in an isolate, whose closing PDI ends every override opened inside.
 * Stray PDIs that would close our isolate early are dropped; the text is otherwise unchanged.
 */
export function confineBidi(text: string): string {
  if (!BIDI_CONTROL.test(text)) return text;
  let depth = 0;
  let out = '';
  for (const ch of text) {
    if (ISOLATE_OPEN.test(ch)) depth += 1;
    else if (ch === PDI) {
      if (depth === 0) continue;
      depth -= 1;
    }
    out += ch;
  }
  return `${FSI}${out}${PDI.repeat(depth)}${PDI}`;
}

/** An http(s) URL in its normalised form, or null for anything else (or anything longer than `max`). */
export function safeUrl(url: string, max: number): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.length <= max ? parsed.href : null;
}

/**
 * `<url|label>` for a URL this bot built. The URL is escaped and its `|` percent-encoded (a raw one would end
 * the URL part); the label is inert. Null when the URL is not http(s) or the link would not fit `max`.
 */
export function mrkdwnLink(url: string, label: string, max: number): string | null {
  const href = safeUrl(url, max);
  if (!href) return null;
  const link = `<${escapeMrkdwn(href).replace(/\|/g, '%7C')}|${inertMrkdwn(label)}>`;
  return link.length <= max ? link : null;
}
