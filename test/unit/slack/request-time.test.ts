import { describe, expect, it } from 'vitest';
import { signedInTheFuture } from '../../../adapters/chat/slack/request-time.js';

const NOW_MS = Date.UTC(2026, 2, 2, 9, 0, 0, 500);
const now = Math.floor(NOW_MS / 1000);

describe('signedInTheFuture', () => {
  it('should refuse a signature more than five minutes ahead, and accept one up to five minutes ahead', () => {
    expect(signedInTheFuture(String(now + 301), NOW_MS)).toBe(true);
    expect(signedInTheFuture(String(now + 6 * 60), NOW_MS)).toBe(true);
    expect(signedInTheFuture(String(now + 300), NOW_MS)).toBe(false);
    expect(signedInTheFuture(String(now), NOW_MS)).toBe(false);
    // The past is Bolt's to judge (more than five minutes old is stale there).
    expect(signedInTheFuture(String(now - 3600), NOW_MS)).toBe(false);
  });

  it('should leave a missing or unreadable header to Bolt, which refuses it', () => {
    for (const header of [undefined, '', 'soon', ['x']]) expect(signedInTheFuture(header, NOW_MS)).toBe(false);
    expect(signedInTheFuture([String(now + 900)], NOW_MS)).toBe(true);
  });
});
