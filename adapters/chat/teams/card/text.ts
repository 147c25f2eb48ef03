import { confineBidi } from '../../slack/escape.js';
import { clip, isBlank, oneLine, orDash } from '../../slack/limits.js';
import type { RichTextBlock, TextRun } from './types.js';

/**
 * Text safety for Teams cards. View text (vendor policy and file names, users, notes) is untrusted.
 *
 * What Teams interprets, and how this renderer avoids each:
 * - Markdown (`**bold**`, `_italic_`, `[label](url)`, lists) is parsed only in `TextBlock.text` and `Fact.title` /
 *   `Fact.value` (msteams-docs "Format cards in Teams"). The schema says of `TextRun.text`: "Markdown is not
 *   supported". So every view string is a `TextRun` inside a `RichTextBlock`, and no `TextBlock` or `FactSet` is
 *   ever emitted: nothing needs escaping, and vendor text shows exactly as written. Backslash escapes were the
 *   alternative; Teams mobile showed the backslashes for years (AdaptiveCards #5590, #7474).
 * - HTML is not supported in Adaptive Cards at all, so `<b>` or `<script>` is shown as typed.
 * - `<at>name</at>` becomes a mention only in TextBlock text with a matching `msteams.entities` entry; these
 *   cards have neither, so `<at>everyone</at>` is literal text that notifies nobody.
 * - Links: only a TextRun's `selectAction` or an `Action.OpenUrl` opens one, and both are built from URLs this bot
 *   made (`Field.url`, `Button.url`), checked to be http(s). A URL in vendor text stays inert text.
 * - A TextRun gets no text processing of any kind, so emoji shortcodes (`:smile:`) stay as typed too.
 * - Bidi overrides (a right-to-left override making `exe.txt` read `txt.exe`) are confined to their own run.
 */

/** Per-run limits: Teams has none of its own below the message size, so these keep one field from eating it. */
export const TEXT_LIMITS = {
  header: 200,
  label: 100,
  value: 2000,
  line: 2000,
  buttonTitle: 40,
  inputLabel: 200,
  choiceTitle: 80,
  /** Links are URLs this bot built; anything longer is not one of them. */
  url: 2048,
} as const;

/** One run of plain text, cut to `max` code units, never empty (Teams drops empty text). */
export function run(text: string, max: number, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text: confineBidi(clip(orDash(text), max)), ...style };
}

export function rich(inlines: TextRun[], extra: Omit<RichTextBlock, 'type' | 'inlines'> = {}): RichTextBlock {
  return { type: 'RichTextBlock', inlines, ...extra };
}

/**
 * Multi-line text as one RichTextBlock per line: renderers differ on newlines inside a run, separate blocks
 * never do. Blank lines become extra spacing before the next line.
 */
export function lines(text: string, style: Omit<TextRun, 'type' | 'text'> = {}): RichTextBlock[] {
  const blocks: RichTextBlock[] = [];
  let gap = false;
  for (const line of text.split(/\r\n|[\r\n\u2028\u2029]/)) {
    if (isBlank(line)) {
      gap = blocks.length > 0;
      continue;
    }
    blocks.push(rich([run(line, TEXT_LIMITS.line, style)], { spacing: gap ? 'medium' : 'none' }));
    gap = false;
  }
  const first = blocks[0];
  if (first) delete first.spacing;
  return blocks;
}

/** Headers, labels, cells and button titles are one line. */
export const singleLine = (text: string, max: number) => clip(orDash(oneLine(text)), max);
