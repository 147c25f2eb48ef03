import type { AdapterError } from '../domain/errors.js';
import { ok, type Result } from '../domain/result.js';
import type { BearerAuth } from './types.js';

export interface FetchedToken {
  accessToken: string;
  expiresInMs: number;
}

export interface BearerAuthOptions {
  fetchToken: () => Promise<Result<FetchedToken, AdapterError>>;
  now?: () => number;
  /** Refresh this long before expiry (default: 60 s or 10% of lifetime, whichever is smaller). */
  refreshBeforeMs?: number;
  /** For vendors that do not use `Authorization: Bearer` (Symphony's `sessionToken` header). */
  headers?: (token: string) => Record<string, string>;
}

interface CachedToken {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

export function createBearerAuth(options: BearerAuthOptions): BearerAuth {
  const now = options.now ?? Date.now;
  let cached: CachedToken | undefined;
  let inflight: Promise<Result<string, AdapterError>> | undefined;

  async function fetchAndCache(): Promise<Result<string, AdapterError>> {
    // Lifetimes count from when the vendor issued the token, so start the clock before the round trip.
    const startedAt = now();
    const result = await options.fetchToken();
    if (!result.ok) {
      // A failed early refresh should not throw away a token that is still good.
      return cached && now() < cached.expiresAt ? ok(cached.token) : result;
    }
    const { accessToken, expiresInMs } = result.value;
    const margin = options.refreshBeforeMs ?? Math.min(60_000, expiresInMs * 0.1);
    cached = {
      token: accessToken,
      expiresAt: startedAt + expiresInMs,
      refreshAt: startedAt + expiresInMs - margin,
    };
    return ok(accessToken);
  }

  return {
    token() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(ok(cached.token));
      inflight ??= fetchAndCache().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(rejected) {
      if (cached?.token === rejected) cached = undefined;
    },
    ...(options.headers ? { headers: options.headers } : {}),
  };
}
