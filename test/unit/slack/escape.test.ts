import { describe, expect, it } from 'vitest';
import {
  confineBidi,
  escapeCode,
  escapeMrkdwn,
  inertMrkdwn,
  mrkdwnLink,
  safeUrl,
} from '../../../adapters/chat/slack/escape.js';
import { liveMarkup } from './block-kit.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<#C123|general>', '&lt;#C123|general&gt;'],
    ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ['<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['<!date^1392734382^{date}|x>', '&lt;!date^1392734382^{date}|x&gt;'],
    // Already-escaped text is the vendor's literal text and must be shown as such.
    ['&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
    ['&amp;', '&amp;amp;'],
  ])('should escape %j as %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('should HTML-encode nothing but &, < and >', () => {
    const text = `"quotes" 'apostrophes' é ü © — *bold* _x_ ~y~ \`z\` @channel @here #general :tada:`;
    expect(escapeMrkdwn(text)).toBe(text);
  });

  it('should leave no control sequence alive in hostile input', () => {
    const hostile = '<!channel> <@U123> <https://evil.example|click> <!subteam^S1> <#C1> <\u200B!here>';
    expect(liveMarkup(escapeMrkdwn(hostile))).toEqual([]);
    expect(liveMarkup(hostile).length).toBeGreaterThan(0);
  });

  it('should keep right-to-left text, bidi controls and zero-width characters as they are', () => {
    const text = 'שלום عربي \u202Etxt.exe pay\u200Broll 👩\u200D💻 \uFEFF';
    expect(escapeMrkdwn(text)).toBe(text);
    expect(escapeMrkdwn(`<\u200B!channel>`)).toBe('&lt;\u200B!channel&gt;');
  });

  it('should handle 5,000 characters without changing their length beyond the entities', () => {
    const text = `${'x'.repeat(5_000)}<`;
    const out = escapeMrkdwn(text);
    expect(out).toHaveLength(5_000 + 4);
    expect(out.endsWith('&lt;')).toBe(true);
  });
});

describe('inertMrkdwn', () => {
  it('should replace formatting characters with look-alikes so nothing formats', () => {
    const out = inertMrkdwn('*bold* _italic_ ~strike~ `code` ```block```');
    expect(out).toBe('∗bold∗ ˍitalicˍ ∼strike∼ ˋcodeˋ ˋˋˋblockˋˋˋ');
    expect(out).not.toMatch(/[*_~`]/);
  });

  it('should stop a line-leading > from quoting, and still escape', () => {
    expect(inertMrkdwn('> quoted\n  > again\na > b')).toBe('\u00AD&gt; quoted\n  \u00AD&gt; again\na &gt; b');
    expect(inertMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});

describe('escapeCode', () => {
  it('should keep a code block closed: backticks become look-alikes, entities are escaped', () => {
    expect(escapeCode('a```b`<!here>')).toBe('aˋˋˋbˋ&lt;!here&gt;');
    expect(escapeCode('*bold* _x_')).toBe('*bold* _x_');
  });
});

describe('confineBidi', () => {
  it('should leave text without bidi controls untouched', () => {
    expect(confineBidi('שלום world')).toBe('שלום world');
  });

  it('should wrap an override in an isolate that closes it', () => {
    expect(confineBidi('\u202Etxt.exe')).toBe('\u2068\u202Etxt.exe\u2069');
  });

  it('should drop stray PDIs that would end the isolate early and close isolates left open', () => {
    expect(confineBidi('\u2069\u202Eabc')).toBe('\u2068\u202Eabc\u2069');
    expect(confineBidi('\u2067abc')).toBe('\u2068\u2067abc\u2069\u2069');
  });
});

describe('links', () => {
  it('should accept only http(s) URLs within the limit', () => {
    expect(safeUrl('https://console.example/x?a=1&b=2', 3000)).toBe('https://console.example/x?a=1&b=2');
    expect(safeUrl('javascript:alert(1)', 3000)).toBeNull();
    expect(safeUrl('slack://channel?id=C1', 3000)).toBeNull();
    expect(safeUrl('not a url', 3000)).toBeNull();
    expect(safeUrl(`https://x.example/${'a'.repeat(3000)}`, 3000)).toBeNull();
  });

  it('should build an escaped link whose label cannot break out or format', () => {
    const link = mrkdwnLink('https://console.example/i/1?a=1&b=<2>|3', 'Open *now* > <!channel>', 2000);
    expect(link).toBe('<https://console.example/i/1?a=1&amp;b=%3C2%3E%7C3|Open ∗now∗ &gt; &lt;!channel&gt;>');
    expect(liveMarkup(link ?? '', ['https://console.example/i/1?a=1&b=%3C2%3E%7C3'])).toEqual([]);
    expect(mrkdwnLink('ftp://x.example', 'x', 2000)).toBeNull();
    expect(mrkdwnLink('https://x.example', 'x'.repeat(2000), 2000)).toBeNull();
  });
});
