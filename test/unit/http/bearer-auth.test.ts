import { describe, expect, it, vi } from 'vitest';
import { adapterError } from '../../../src/domain/errors.js';
import { err, ok } from '../../../src/domain/result.js';
import { createBearerAuth, type FetchedToken } from '../../../src/http/bearer-auth.js';
import { fakeClock } from './loopback.js';

function issuing(expiresInMs: number) {
  let n = 0;
  return vi.fn(async () => {
    n += 1;
    return ok<FetchedToken>({ accessToken: `token-${n}`, expiresInMs });
  });
}

describe('createBearerAuth', () => {
  it('should reuse the token until 60 s before a long expiry, then refresh', async () => {
    const clock = fakeClock();
    const fetchToken = issuing(600_000);
    const auth = createBearerAuth({ fetchToken, now: clock.now });

    expect(await auth.token()).toEqual(ok('token-1'));
    clock.advance(539_999);
    expect(await auth.token()).toEqual(ok('token-1'));
    clock.advance(1);
    expect(await auth.token()).toEqual(ok('token-2'));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('should refresh at 10% of a short lifetime before expiry', async () => {
    const clock = fakeClock();
    const auth = createBearerAuth({ fetchToken: issuing(100_000), now: clock.now });
    await auth.token();
    clock.advance(89_999);
    expect(await auth.token()).toEqual(ok('token-1'));
    clock.advance(1);
    expect(await auth.token()).toEqual(ok('token-2'));
  });

  it('should use refreshBeforeMs when given', async () => {
    const clock = fakeClock();
    const auth = createBearerAuth({ fetchToken: issuing(100_000), now: clock.now, refreshBeforeMs: 50_000 });
    await auth.token();
    clock.advance(50_000);
    expect(await auth.token()).toEqual(ok('token-2'));
  });

  it('should share one in-flight fetch between concurrent callers', async () => {
    let release: (() => void) | undefined;
    const fetchToken = vi.fn(async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return ok({ accessToken: 'shared', expiresInMs: 600_000 });
    });
    const auth = createBearerAuth({ fetchToken });

    const pending = Promise.all(Array.from({ length: 5 }, () => auth.token()));
    await Promise.resolve();
    release?.();

    expect(await pending).toEqual(Array(5).fill(ok('shared')));
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('should fetch a new token after the current one is invalidated', async () => {
    const fetchToken = issuing(600_000);
    const auth = createBearerAuth({ fetchToken });
    await auth.token();
    auth.invalidate('token-1');
    expect(await auth.token()).toEqual(ok('token-2'));
  });

  it('should ignore invalidating a token that was already replaced', async () => {
    const fetchToken = issuing(600_000);
    const auth = createBearerAuth({ fetchToken });
    await auth.token();
    auth.invalidate('token-1');
    await auth.token();
    auth.invalidate('token-1');
    expect(await auth.token()).toEqual(ok('token-2'));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('should return a failed fetch and try again on the next call', async () => {
    const failure = adapterError('auth', 'fetchToken: vendor answered 401', { status: 401 });
    const fetchToken = vi
      .fn<() => Promise<ReturnType<typeof err<typeof failure>> | ReturnType<typeof ok<FetchedToken>>>>()
      .mockResolvedValueOnce(err(failure))
      .mockResolvedValueOnce(ok({ accessToken: 'second', expiresInMs: 600_000 }));
    const auth = createBearerAuth({ fetchToken });

    expect(await auth.token()).toEqual(err(failure));
    expect(await auth.token()).toEqual(ok('second'));
  });

  it('should keep using a still-valid token when an early refresh fails', async () => {
    const clock = fakeClock();
    const fetchToken = vi
      .fn()
      .mockResolvedValueOnce(ok({ accessToken: 'first', expiresInMs: 600_000 }))
      .mockResolvedValue(err(adapterError('unavailable', 'fetchToken: vendor answered 503')));
    const auth = createBearerAuth({ fetchToken, now: clock.now });
    await auth.token();
    clock.advance(580_000);
    expect(await auth.token()).toEqual(ok('first'));
    clock.advance(20_000);
    expect(await auth.token()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('should not stay stuck after fetchToken throws', async () => {
    const fetchToken = vi
      .fn()
      .mockRejectedValueOnce(new Error('bug'))
      .mockResolvedValueOnce(ok({ accessToken: 'after', expiresInMs: 600_000 }));
    const auth = createBearerAuth({ fetchToken });
    await expect(auth.token()).rejects.toThrow('bug');
    expect(await auth.token()).toEqual(ok('after'));
  });
});
