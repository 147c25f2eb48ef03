/**
 * Vendor text reaching a terminal must not be able to move the cursor, recolour the screen, rewrite
 * earlier lines or reorder characters (right-to-left override makes "exe.txt" read as "txt.exe").
 * Control and bidirectional-formatting characters are shown as visible `⟨U+XXXX⟩` escapes instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const visible = (ch: string) => `⟨U+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/** Text whose line breaks are its author's (a help text, a banner): tabs and newlines stay, nothing else does. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * Text that is one line wherever it is printed (a title, a field, a table cell, an incident line). A newline in it
 * can only come from a vendor or a user, and would print a line the bot never wrote (a policy named
 * "x\n✔ Scan finished"), so it is shown as `⟨U+000A⟩`; a tab becomes a space, so columns stay aligned.
 */
export function sanitizeLine(text: string): string {
  return sanitizeForTerminal(text).replace(/\t/g, ' ').replace(/\n/g, visible);
}
