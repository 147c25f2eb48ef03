import type { ContextBlock, MrkdwnElement, PlainTextElement } from '@slack/types';
import { clip, orDash, SLACK_LIMITS } from './limits.js';

/** Plain text is never parsed by Slack, so view text goes in unescaped; `:shortcodes:` stay literal too. */
export const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: false });

/** Only for text already escaped with escape.ts; `verbatim` stops Slack auto-linking names and URLs in it. */
export const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

export const contextLine = (text: string): ContextBlock => ({
  type: 'context',
  elements: [plain(clip(orDash(text), SLACK_LIMITS.contextText))],
});
