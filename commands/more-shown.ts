import type { Block } from '../src/views/view.js';
import { type CommandContext, PROGRAMS, surfaceOf } from './command.js';

/** The most `--limit` takes on the listing commands (aging, mine). */
export const LIMIT_MAX = 1000;

/**
 * Under a list cut at `--limit`: the same command line with a `--limit` that shows them all, in the form the
 * person typed it (`dlp-bot …` on a terminal, `/dlp …` in chat), so seeing more is one copy away.
 */
export function moreShownHint(
  ctx: Pick<CommandContext, 'invoker'>,
  words: string[],
  shown: number,
  total: number,
): Block[] {
  if (shown >= total) return [];
  const limit = Math.min(total, LIMIT_MAX);
  const line = [PROGRAMS[surfaceOf(ctx.invoker)], ...words, '--limit', String(limit)].join(' ');
  const capped = total > LIMIT_MAX ? ` (${LIMIT_MAX} at most: narrow it by severity or source for the rest)` : '';
  return [{ type: 'context', text: `To see more: ${line}${capped}` }];
}
