import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  backoffDelay,
  decideRetry,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  type RetryContext,
} from '../../../src/http/retry-policy.js';
import {
  codeForStatus,
  failureForNetworkError,
  failureForStatus,
  networkErrorCode,
} from '../../../src/http/status-table.js';

const ctx = (overrides: Partial<RetryContext> = {}): RetryContext => ({
  idempotent: true,
  retriesSoFar: 0,
  maxRetries: 3,
  random: () => 0.5,
  ...overrides,
});

describe('codeForStatus', () => {
  it.each([
    [400, 'rejected'],
    [409, 'rejected'],
    [422, 'rejected'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [302, 'unknown'],
    [410, 'unknown'],
    [418, 'unknown'],
  ] as const)('should map %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe('failureForNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'not_sent'],
    ['UND_ERR_CONNECT_TIMEOUT', 'not_sent'],
    ['UND_ERR_HEADERS_TIMEOUT', 'transient'],
    ['UND_ERR_BODY_TIMEOUT', 'transient'],
    ['UND_ERR_SOCKET', 'transient'],
    ['ECONNRESET', 'transient'],
  ] as const)('should map %s to unavailable (%s)', (code, transience) => {
    const failure = failureForNetworkError(Object.assign(new Error('connect 10.0.0.1:443'), { code }), 'GET op');
    expect(failure.error.code).toBe('unavailable');
    expect(failure.transience).toBe(transience);
    expect(failure.error.message).toContain(code);
    expect(failure.error.message).not.toContain('10.0.0.1');
  });

  it('should map an error without a known code to unknown, never retried', () => {
    const failure = failureForNetworkError(new Error('boom'), 'GET op');
    expect(failure.error.code).toBe('unknown');
    expect(failure.transience).toBe('none');
  });

  it('should find codes on a cause or inside an AggregateError', () => {
    expect(networkErrorCode({ cause: { code: 'ECONNRESET' } })).toBe('ECONNRESET');
    expect(networkErrorCode(new AggregateError([Object.assign(new Error(), { code: 'ECONNREFUSED' })]))).toBe(
      'ECONNREFUSED',
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('should read delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('should read an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:12 GMT', now)).toBe(12_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('should ignore missing or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('should double from 250 ms and scale by the random draw (full jitter)', () => {
    expect([0, 1, 2, 3].map((i) => backoffDelay(i, () => 0.5))).toEqual([125, 250, 500, 1_000]);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('should never exceed the 8 s cap', () => {
    expect(backoffDelay(20, () => 0.9999)).toBeLessThan(BACKOFF_CAP_MS);
    expect(backoffDelay(20, () => 0.9999)).toBeGreaterThan(BACKOFF_CAP_MS - 10);
  });
});

describe('decideRetry', () => {
  it('should retry a 5xx only when the request is idempotent', () => {
    const failure = failureForStatus(503, 'POST op');
    expect(decideRetry(failure, ctx({ idempotent: true }))).toEqual({ retry: true, waitMs: 125 });
    expect(decideRetry(failure, ctx({ idempotent: false }))).toMatchObject({ retry: false });
  });

  it('should retry a 429 and a connect failure for any method', () => {
    expect(decideRetry(failureForStatus(429, 'POST op'), ctx({ idempotent: false })).retry).toBe(true);
    const refused = failureForNetworkError({ code: 'ECONNREFUSED' }, 'POST op');
    expect(decideRetry(refused, ctx({ idempotent: false })).retry).toBe(true);
  });

  it('should never retry 4xx other than 429', () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      expect(decideRetry(failureForStatus(status, 'GET op'), ctx()).retry).toBe(false);
    }
  });

  it('should wait exactly what Retry-After asked, and give up past 60 s', () => {
    expect(decideRetry(failureForStatus(429, 'GET op', 3_000), ctx())).toEqual({ retry: true, waitMs: 3_000 });
    const tooLong = decideRetry(failureForStatus(429, 'GET op', MAX_RETRY_AFTER_MS + 1), ctx());
    expect(tooLong).toMatchObject({ retry: false, error: { code: 'rate_limited', retryAfterMs: 60_001 } });
    // A request that may wait longer (a background scan facing an hourly window) waits it out.
    const patient = { ...ctx(), maxRetryAfterMs: 3_600_000 };
    expect(decideRetry(failureForStatus(429, 'GET op', 2_400_000), patient)).toEqual({
      retry: true,
      waitMs: 2_400_000,
    });
    expect(decideRetry(failureForStatus(429, 'GET op', 3_600_001), patient)).toMatchObject({ retry: false });
  });

  it('should stop after maxRetries and say how many attempts were made', () => {
    const decision = decideRetry(failureForStatus(503, 'GET listIncidents'), ctx({ retriesSoFar: 3 }));
    expect(decision).toEqual({
      retry: false,
      error: {
        code: 'unavailable',
        status: 503,
        message: 'GET listIncidents: vendor answered 503 (gave up after 4 attempts)',
      },
    });
  });
});
