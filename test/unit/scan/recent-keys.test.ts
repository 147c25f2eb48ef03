import { describe, expect, it } from 'vitest';
import { REMEMBERED_PAGES, recentKeys } from '../../../src/scan/recent-keys.js';

describe('recentKeys', () => {
  it('should tell a key repeated on the same page or a remembered one, and count each kept key once', () => {
    const keys = recentKeys();
    keys.nextPage();
    expect([keys.addIfNew('a'), keys.addIfNew('b'), keys.addIfNew('a')]).toEqual([true, true, false]);
    keys.nextPage();
    expect([keys.addIfNew('b'), keys.addIfNew('c')]).toEqual([false, true]);
    expect(keys.kept()).toBe(3);
  });

  it('should forget the keys of a page once REMEMBERED_PAGES later pages have started', () => {
    const keys = recentKeys();
    keys.nextPage();
    keys.addIfNew('old');
    for (let page = 1; page < REMEMBERED_PAGES; page += 1) keys.nextPage();
    expect(keys.addIfNew('old')).toBe(false);

    keys.nextPage();

    expect(keys.addIfNew('old')).toBe(true);
    expect(keys.kept()).toBe(2);
  });
});
