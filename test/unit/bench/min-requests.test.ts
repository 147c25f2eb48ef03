import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { panMinRequests, panPublishedMinRequests } from '../../../adapters/dlp/paloalto/bench.js';
import { lookbackReaching, pagesKnowingTotal } from '../../../adapters/dlp/simulator-kit/bench-kit.js';
import { modifiedRunsOf, skyhighMinRequests } from '../../../adapters/dlp/skyhigh/bench.js';
import { symantecMinRequests } from '../../../adapters/dlp/symantec/bench.js';
import { symphonyMinRequests } from '../../../adapters/dlp/symphony/bench.js';

describe('panMinRequests', () => {
  it('should page each status on its own, one request even for an empty status', () => {
    expect(panMinRequests({ open: 1_001, in_review: 0, resolved: 500, dismissed: 1 }, 500)).toBe(3 + 1 + 1 + 1);
  });
});

describe('symantecMinRequests', () => {
  it('should need an empty page after exactly full pages, since only a short page ends the listing', () => {
    expect(symantecMinRequests(2_000, 1_000, false)).toEqual({ statuses: 1, queries: 3, editableAttributes: 0 });
    expect(symantecMinRequests(1_999, 1_000, false).queries).toBe(2);
    expect(symantecMinRequests(0, 1_000, false).queries).toBe(1);
  });

  it('should read the editable attributes of every listed incident when the assignee lives there', () => {
    expect(symantecMinRequests(2_500, 1_000, true)).toEqual({ statuses: 1, queries: 3, editableAttributes: 2_500 });
  });
});

describe('modifiedRunsOf', () => {
  it('should encode shared milliseconds as groups and lone ones as negative runs', () => {
    expect(modifiedRunsOf([1, 2, 2, 3, 4, 4, 4, 5, 6])).toEqual([-1, 2, -1, 3, -2]);
    expect(modifiedRunsOf([])).toEqual([]);
  });
});

describe('skyhighMinRequests', () => {
  it('should repeat the last record of every full page, because the next page must start at its millisecond', () => {
    // 0–499, then 499–998 (499 again), then 998–999: short, done.
    expect(skyhighMinRequests([-1_000], 500)).toBe(3);
  });

  it('should need one more request after an exactly full last page', () => {
    expect(skyhighMinRequests([-500], 500)).toBe(2);
    expect(skyhighMinRequests([], 500)).toBe(1);
  });

  it('should restart at the first record of a group the page boundary cuts', () => {
    // a b c d | d d: the first page ends inside d's millisecond, the second starts at its first record.
    expect(skyhighMinRequests([-3, 3], 4)).toBe(2);
  });

  it('should read a millisecond that fills a whole page alone, with the largest limit, then page on after it', () => {
    // y y y | [y y y y y] | x x: page 1 is one millisecond, so it is read alone; page 3 (x x) is short.
    expect(skyhighMinRequests([5, -2], 3)).toBe(3);
    // x y y | y y y | [y y y y y] | (empty): page 2 starts at y and holds nothing else.
    expect(skyhighMinRequests([-1, 5], 3)).toBe(4);
  });

  it('should add no request for that millisecond when the page already has the largest limit', () => {
    // 500 records in one millisecond, then 10: page 1 (all one millisecond) cannot be read wider; page 2 is short.
    expect(skyhighMinRequests([500, -10], 500)).toBe(2);
    expect(skyhighMinRequests([500, -10], 499)).toBe(3);
  });

  it('should agree with a client paging by time against a server answering the first `limit` records at or after startTime', () => {
    const times = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 200 }).map((ts) => ts.sort((a, b) => a - b));
    fc.assert(
      fc.property(times, fc.integer({ min: 2, max: 12 }), (sorted, limit) => {
        expect(skyhighMinRequests(modifiedRunsOf(sorted), limit)).toBe(pageByTime(sorted, limit));
      }),
    );
  });
});

/**
 * The time-cursor view of the same protocol: start at the last page's last millisecond; a page that is one
 * millisecond is followed by a query of that millisecond alone (limit 500, far above these groups), then past it.
 */
function pageByTime(sorted: readonly number[], limit: number): number {
  let startTime = Number.NEGATIVE_INFINITY;
  for (let requests = 1; ; requests += 1) {
    const page = sorted.filter((t) => t >= startTime).slice(0, limit);
    if (page.length < limit) return requests;
    const last = page.at(-1) as number;
    if (page[0] !== last) startTime = last;
    else {
      const alone = sorted.filter((t) => t === last).slice(0, 500);
      expect(alone.length).toBeLessThan(500);
      requests += 1;
      startTime = last + 1;
    }
  }
}

describe('pagesKnowingTotal', () => {
  it('should need no empty page after a full last one, since the answer says it is the last', () => {
    expect(pagesKnowingTotal(200, 100)).toBe(2);
    expect(pagesKnowingTotal(201, 100)).toBe(3);
  });

  it('should still ask once when there is nothing to list', () => {
    expect(pagesKnowingTotal(0, 100)).toBe(1);
  });
});

describe('symphonyMinRequests', () => {
  it('should page each kind on its own endpoint, a 204 for an empty kind', () => {
    expect(symphonyMinRequests({ message: 1_026, stream: 500, signal: 0 }, 500)).toEqual({
      message: 3,
      stream: 1,
      signal: 1,
    });
  });
});

describe('panPublishedMinRequests', () => {
  it('should read one detail per listed incident, closed ones included, plus the assignee list once', () => {
    expect(panPublishedMinRequests(1_000, 500)).toEqual({ assignees: 1, list: 2, details: 1_000 });
    expect(panPublishedMinRequests(0, 500)).toEqual({ assignees: 1, list: 1, details: 0 });
  });
});

describe('lookbackReaching', () => {
  const anchorMs = Date.parse('2026-11-23T12:00:00Z');

  it('should reach the oldest record with a day to spare for the scan starting after the anchor', () => {
    expect(lookbackReaching(anchorMs, anchorMs - 9.2 * 86_400_000)).toBe(11);
    expect(lookbackReaching(anchorMs, anchorMs - 86_400_000)).toBe(2);
  });

  it('should be at least one day, the smallest lookback any adapter accepts', () => {
    expect(lookbackReaching(anchorMs, anchorMs)).toBe(1);
  });
});
