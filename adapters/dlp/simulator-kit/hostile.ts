/**
 * Strings that break chat rendering or fool a reader when echoed verbatim: Slack mentions and links,
 * markdown, Teams mentions, bidi overrides, zero-width joins and an oversize name. Simulators sprinkle
 * them into free-text fields so every renderer is tested against vendor-controlled text.
 */
export const LONG_HOSTILE_NAME = 'long-name-'.repeat(500);

export const HOSTILE_STRINGS: readonly string[] = Object.freeze([
  '<!channel>',
  '<https://evil.example|click here>',
  '*bold*',
  '_x_',
  '@here',
  '<@U123>',
  LONG_HOSTILE_NAME,
  '\u202Etxt.exe',
  'pay\u200Broll',
  '<at>everyone</at>',
  '[link](https://evil.example)',
]);
