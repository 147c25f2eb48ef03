/**
 * Vendor text reaching a terminal must not be able to move the cursor, recolour the screen, rewrite
 * earlier lines or reorder characters (right-to-left override makes "exe.txt" read as "txt.exe").
 * Control and bidirectional-formatting characters are shown as visible `⟨U+XXXX⟩` escapes instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => `⟨U+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
