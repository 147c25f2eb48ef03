import type { z } from 'zod';
import type { AdapterError } from '../../../src/domain/errors.js';
import { ok, type Result } from '../../../src/domain/result.js';
import { createHttpClient, type HttpClient, type HttpRequest, sourceClientBase } from '../../../src/http/index.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { createSaseAuth, type SaseAuthConfig, validated } from './auth.js';

type R<T> = Promise<Result<T, AdapterError>>;

/** One SASE-authenticated API: what the seed and the published clients share. */
export interface SaseApi {
  /** A raw request (bodiless answers, extra options); most calls want `call`. */
  request: HttpClient['request'];
  /** A request whose answer body is validated with `schema` at the boundary. */
  call<S extends z.ZodType>(schema: S, request: HttpRequest): R<z.infer<S>>;
  /** A valid token's full lifetime (fetching one if none is cached); for `doctor`. */
  tokenLifetimeMs(): R<number>;
  close(): Promise<void>;
}

export function createSaseApi(config: SaseAuthConfig & { baseUrl: string }, deps: AdapterDeps): SaseApi {
  const { auth, tokenHttp, lastLifetimeMs } = createSaseAuth(config, deps);
  const api = createHttpClient({ ...sourceClientBase(config, deps), baseUrl: config.baseUrl, auth });
  return {
    request: (request) => api.request(request),
    async call(schema, request) {
      const response = await api.request(request);
      return response.ok ? validated(schema, request.op, response.value.body) : response;
    },
    async tokenLifetimeMs() {
      const token = await auth.token();
      return token.ok ? ok(lastLifetimeMs()) : token;
    },
    async close() {
      await Promise.allSettled([api.close(), tokenHttp.close()]);
    },
  };
}
