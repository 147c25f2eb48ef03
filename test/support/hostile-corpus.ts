import { createRequire } from 'node:module';
import { HOSTILE_STRINGS } from '../../adapters/dlp/simulator-kit/hostile.js';

/**
 * Chat and terminal control sequences the Big List of Naughty Strings does not carry: Slack's mentions, links and
 * mrkdwn, Teams' mentions, markdown and card templating, and terminal escapes that move the cursor, rewrite a line
 * or hide a link. Each one would notify, link, format or forge output if a renderer passed it through.
 */
export const CHAT_CONTROL_SEQUENCES: readonly string[] = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123ABCD>',
  '<!subteam^S0123ABCD|@security>',
  '<@U0123ABCD>',
  '<@W0123ABCD|admin>',
  '<#C0123ABCD>',
  '<#C0123ABCD|general>',
  '<https://evil.example>',
  '<https://evil.example|Open the console>',
  '<mailto:ceo@corp.example|mail the CEO>',
  '<tel:+15550100|call>',
  '<!date^1392734382^{date_pretty}|Feb 18>',
  '<\u200B!channel>',
  '&lt;!channel&gt;',
  '&#60;!here&#62;',
  '*bold* _italic_ ~strike~ `code`',
  '```\nfenced block\n```',
  '> quoted line',
  ':rotating_light: :white_check_mark:',
  '@channel @here @everyone',
  'https://evil.example/login?next=%2F',
  'evil.example/phish',
  '<at>everyone</at>',
  '<at id="0">Security team</at>',
  '[Approve](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  '# Incident resolved',
  '- [x] closed\n- [ ] open',
  '1. first\n2. second',
  '**bold** __underline__',
  '<b>bold</b> <script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Adaptive Card templating syntax, literally.
  '${$root.secret}',
  '\\*escaped\\*',
  'line one\nline two',
  'line one\r\nline two',
  'policy\r✔ Scan finished: 0 breached',
  '\n✔ Scan finished: 0 breached',
  'a\u2028b\u2029c\u0085d',
  '\u001b[2J\u001b[H',
  '\u001b[31mred\u001b[0m',
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
  '\u001b]0;owned\u0007',
  '\u009b31m C1 CSI',
  'back\b\b\b\bspace',
  'tab\there',
  '\u0000nul\u0007bell',
  '\u202Egpj.exe',
  'pay\u200Broll \uFEFF \u2066isolate\u2069',
  ...HOSTILE_STRINGS,
];

const require = createRequire(import.meta.url);

/** The Big List of Naughty Strings (minimaxir, MIT) and the chat and terminal sequences above, without repeats. */
export function hostileCorpus(): string[] {
  const blns = require('big-list-of-naughty-strings') as string[];
  return [...new Set([...blns, ...CHAT_CONTROL_SEQUENCES])].filter((s) => s.length > 0);
}
