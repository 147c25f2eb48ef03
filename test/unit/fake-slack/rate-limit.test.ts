import { ErrorCode, type WebAPIRateLimitedError, WebClientEvent } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { useFakeSlack } from '../../support/fake-slack/harness.js';

const setup = useFakeSlack();
const REJECT = { rejectRateLimitedCalls: true };

describe('fake Slack rate limiting', () => {
  it('should allow a burst of 3 per channel then surface HTTP 429 with Retry-After', async () => {
    const { fake, client } = await setup({}, REJECT);
    for (let i = 0; i < 3; i += 1) await client.chat.postMessage({ channel: 'C1', text: `post ${i}` });

    const error = (await client.chat.postMessage({ channel: 'C1', text: 'one too many' }).catch((e: unknown) => e)) as
      | WebAPIRateLimitedError
      | undefined;

    expect(error?.code).toBe(ErrorCode.RateLimitedError);
    expect(error?.retryAfter).toBe(1);
    expect(fake.calls('chat.postMessage').at(-1)).toMatchObject({ status: 429, response: { error: 'ratelimited' } });
    expect(fake.messages('C1')).toHaveLength(3);
    expect(fake.rateLimited('C1')).toBe(1);
  });

  it('should meter each channel on its own', async () => {
    const { fake, client } = await setup({ rateLimit: { burst: 1 } }, REJECT);
    await client.chat.postMessage({ channel: 'C1', text: 'a' });

    await expect(client.chat.postMessage({ channel: 'C2', text: 'b' })).resolves.toMatchObject({ ok: true });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'c' })).rejects.toThrow();
    expect(fake.rateLimited('C1')).toBe(1);
    expect(fake.rateLimited('C2')).toBe(0);
    expect(fake.rateLimited()).toBe(1);
  });

  it('should refill at postsPerSecond on the injected clock', async () => {
    const { client, clock } = await setup({ rateLimit: { postsPerSecond: 2, burst: 1 } }, REJECT);
    await client.chat.postMessage({ channel: 'C1', text: 'a' });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'b' })).rejects.toThrow();

    clock.advance(499);
    await expect(client.chat.postMessage({ channel: 'C1', text: 'c' })).rejects.toThrow();
    clock.advance(1);

    await expect(client.chat.postMessage({ channel: 'C1', text: 'd' })).resolves.toMatchObject({ ok: true });
  });

  it('should send the real wait as whole seconds, at least 1', async () => {
    const { fake } = await setup({ rateLimit: { postsPerSecond: 0.25, burst: 1 } });
    const post = () =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C1&text=x',
      });
    await post();

    const limited = await post();

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    await expect(limited.json()).resolves.toEqual({ ok: false, error: 'ratelimited' });
  });

  it('should let a default-retry WebClient wait out Retry-After and succeed', async () => {
    const { fake, client, clock } = await setup(
      { rateLimit: { burst: 1, retryAfterSeconds: 0 } },
      { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } },
    );
    const waits: number[] = [];
    // WebClient sleeps Retry-After seconds of real time; the fake's bucket refills on fake time.
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => {
      waits.push(seconds);
      clock.advance(1_000);
    });
    await client.chat.postMessage({ channel: 'C1', text: 'a' });

    const result = await client.chat.postMessage({ channel: 'C1', text: 'b' });

    expect(result.ok).toBe(true);
    expect(waits).toEqual([0]);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 429, 200]);
    expect(fake.messages('C1').map((m) => m.text)).toEqual(['a', 'b']);
  });

  it('should show that without rejectRateLimitedCalls and with no retries a 429 surfaces as a request error', async () => {
    const { client } = await setup({ rateLimit: { burst: 1, retryAfterSeconds: 0 } });
    await client.chat.postMessage({ channel: 'C1', text: 'a' });

    const error = await client.chat.postMessage({ channel: 'C1', text: 'b' }).catch((e: unknown) => e);

    // WebClient sleeps Retry-After, throws a plain Error to ask p-retry for another go, and wraps it when none is left.
    expect(error).toMatchObject({ code: ErrorCode.RequestError, original: { message: /rate limit was exceeded/ } });
  });

  it('should meter chat.update only when asked to', async () => {
    const { fake, client } = await setup(
      { rateLimit: { burst: 1, methods: ['chat.postMessage', 'chat.update'] } },
      REJECT,
    );
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'a' });
    await client.chat.update({ channel: 'C1', ts: ts as string, text: 'b' });

    await expect(client.chat.update({ channel: 'C1', ts: ts as string, text: 'c' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
    });
    expect(fake.rateLimited('C1')).toBe(1);
  });

  it('should not meter at all when rateLimit is false', async () => {
    const { fake, client } = await setup({ rateLimit: false }, REJECT);

    for (let i = 0; i < 10; i += 1) await client.chat.postMessage({ channel: 'C1', text: `post ${i}` });

    expect(fake.messages('C1')).toHaveLength(10);
    expect(fake.rateLimited()).toBe(0);
  });
});
