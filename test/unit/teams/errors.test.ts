import { describe, expect, it, vi } from 'vitest';
import { connectorErrorCode, toChatError } from '../../../adapters/chat/teams/errors.js';

/** The shape @azure/core-rest-pipeline's RestError has when the connector answers with an error. */
const restError = (statusCode: number, headers: Record<string, string> = {}, body?: unknown) =>
  Object.assign(new Error('connector said no'), {
    statusCode,
    response: {
      headers: { get: (name: string) => headers[name.toLowerCase()] },
      bodyAsText: body === undefined ? null : JSON.stringify(body),
    },
  });

describe('Teams connector errors', () => {
  it('should turn a 429 into rate_limited with Retry-After in seconds or as a date', () => {
    expect(toChatError(restError(429, { 'retry-after': '3' }), 'send')).toEqual({
      code: 'rate_limited',
      message: 'send: throttled by Teams',
      retryAfterMs: 3_000,
    });
    // The date form is read against Date.now(): pinned, so the wait is exact rather than "about 5 s by now".
    vi.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z'), toFake: ['Date'] });
    try {
      const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
      const dated = toChatError(restError(429, { 'retry-after': inFiveSeconds }), 'send');
      expect(dated.retryAfterMs).toBe(5_000);
    } finally {
      vi.useRealTimers();
    }
    expect(toChatError(restError(429), 'send')).toEqual({ code: 'rate_limited', message: 'send: throttled by Teams' });
  });

  it('should call the statuses Teams says to retry unavailable, and name the connector code of a refusal', () => {
    for (const status of [412, 500, 502, 503, 504])
      expect(toChatError(restError(status), 'update').code).toBe('unavailable');
    const gone = restError(403, {}, { error: { code: 'BotNotInConversationRoster', message: 'x' } });
    expect(connectorErrorCode(gone)).toBe('BotNotInConversationRoster');
    expect(toChatError(gone, 'send')).toEqual({
      code: 'rejected',
      message: 'send: Teams answered 403 (BotNotInConversationRoster)',
    });
    expect(toChatError(restError(413, {}, { error: { code: 'MessageSizeTooBig' } }), 'send').code).toBe('rejected');
    // A deleted message (or a chat that is gone) is not found: there is nothing left to update.
    expect(toChatError(restError(404, {}, { error: { code: 'ActivityNotFound' } }), 'update')).toEqual({
      code: 'not_found',
      message: 'update: Teams answered 404 (ActivityNotFound)',
    });
  });

  it('should call a refused connection unavailable and never quote a body it cannot read', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toChatError(refused, 'send').code).toBe('unavailable');
    expect(connectorErrorCode(restError(400, {}, 'not json {'))).toBeNull();
    expect(connectorErrorCode(Object.assign(new Error('x'), { response: { bodyAsText: '<html>' } }))).toBeNull();
  });
});
