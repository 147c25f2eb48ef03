import { VENDOR_ID_MAX } from '../../../src/domain/vendor-id.js';

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

/**
 * Ids a vendor might send that the id rule (src/domain/vendor-id.ts) refuses: dot segments that would walk up the
 * vendor's URL paths, a lone UTF-16 surrogate that makes `encodeURIComponent` throw, control characters, bidi
 * overrides and one over the length limit. Every adapter skips and counts each one's record; no scan stops on them.
 */
export const HOSTILE_IDS: readonly string[] = Object.freeze([
  '..',
  '.',
  'INC-\uD800-1',
  'INC-\uDC00',
  'INC-\u0000-2',
  'INC\n3',
  'INC-\u202E4',
  '../../oauth2/access_token',
  'a/../b',
  'x'.repeat(VENDOR_ID_MAX + 1),
]);

/** A valid id over the 256 characters a button carries whole: listed, posted and triaged through its short key. */
export const LONG_ID = `INC-${'0123456789abcdef'.repeat(19)}-long`;
