import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { type AdapterError, adapterError } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';
import { bindOnce } from '../log.js';
import { DEFAULT_MAX_RESPONSE_BYTES, discardBody, readResponseBody } from './body.js';
import { createEgressDispatcher, type Egress } from './egress.js';
import { createPacer, type Pacer } from './pacer.js';
import { decideRetry, parseRetryAfter } from './retry-policy.js';
import { type AttemptFailure, failureForNetworkError, failureForStatus } from './status-table.js';
import type { BearerAuth, HttpClient, HttpClientOptions, HttpMethod, HttpRequest, HttpResponse } from './types.js';
import { buildRequestPath, parseBaseUrl } from './url.js';

export type * from './types.js';

/** A wait for a rate-limit slot at least this long is logged at info: a slow scan should say why it is slow. */
export const PACING_NOTICE_MS = 10_000;

const IDEMPOTENT_BY_DEFAULT: Readonly<Record<HttpMethod, boolean>> = {
  GET: true,
  PUT: true,
  DELETE: true,
  POST: false,
  PATCH: false,
};

type AttemptOutcome =
  | { ok: true; response: HttpResponse }
  /** `token` is the bearer token the vendor rejected, so a 401 can invalidate exactly that one. */
  | { ok: false; failure: AttemptFailure; token?: string };

function encodeBody(req: HttpRequest): { body?: string; contentType?: string } {
  if (req.json !== undefined && req.form !== undefined) throw new TypeError(`${req.op}: pass json or form, not both`);
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form !== undefined) {
    return { body: new URLSearchParams(req.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return {};
}

function buildHeaders(
  req: HttpRequest,
  contentType: string | undefined,
  token: string | undefined,
  auth: BearerAuth | undefined,
) {
  const headers: Record<string, string> = { 'user-agent': 'dlp-sla-bot' };
  if ((req.expect ?? 'json') === 'json') headers.accept = 'application/json';
  if (contentType) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  if (token !== undefined) Object.assign(headers, auth?.headers?.(token) ?? { authorization: `Bearer ${token}` });
  return headers;
}

/**
 * undici takes ~150 ms to load: only a process that talks to a vendor pays for it, not `dlp-bot aging` or `--help`.
 * With an egress proxy the same limits apply per origin, the proxy's own connection included.
 */
function createPool(origin: string, http: HttpClientOptions['http'], egress: Egress | undefined): Dispatcher {
  const options = {
    connections: http.connections,
    connectTimeout: http.connectTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    bodyTimeout: http.bodyTimeoutMs,
  };
  if (egress) return createEgressDispatcher(egress, options);
  const { Pool } = createRequire(import.meta.url)('undici') as typeof import('undici');
  return new Pool(origin, options);
}

/** Waits that end early, without an error, when `signal` aborts: the caller's next check sees it and gives up. */
function abortableSleep(
  sleep: ((ms: number) => Promise<void>) | undefined,
  signal: AbortSignal | undefined,
): (ms: number) => Promise<void> {
  if (!sleep) return (ms) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  if (!signal) return sleep;
  return (ms) =>
    signal.aborted
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            resolve();
          };
          signal.addEventListener('abort', done, { once: true });
          sleep(ms).then(done, done);
        });
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { source, http, counter, auth } = options;
  // Adapters get a logger already bound to their source: binding it again would print `source` twice per line.
  const logger = bindOnce(options.logger, { source });
  const base = parseBaseUrl(options.baseUrl);
  // Failures name the host they were sent to (the token endpoint is often another one), so "unreachable" or a
  // refused login says where to look. Host and port only: no path, query or credentials.
  const host = new URL(base.origin).host;
  const labelOf = (req: HttpRequest) => `${req.method} ${req.op} at ${host}`;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? createPool(base.origin, http, options.egress);
  const now = options.now ?? Date.now;
  const { signal } = options;
  const sleep = abortableSleep(options.sleep, signal);
  const random = options.random ?? Math.random;
  const kind = options.counterKind ?? 'api';
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const defaultPacer =
    http.requestsPerMinute !== undefined || http.requestsPerHour !== undefined
      ? createPacer({ perMinute: http.requestsPerMinute, perHour: http.requestsPerHour, now, sleep })
      : undefined;
  const classPacers = new Map<string, Pacer>(
    Object.entries(options.pacing ?? {}).map(([name, limits]) => [name, createPacer({ ...limits, now, sleep })]),
  );
  const pacersFor = (req: HttpRequest): Pacer[] => {
    if (req.pacing === undefined) return defaultPacer ? [defaultPacer] : [];
    return (typeof req.pacing === 'string' ? [req.pacing] : req.pacing).map((name) => {
      const pacer = classPacers.get(name);
      if (!pacer) throw new TypeError(`${req.op}: no pacing class "${name}" on this client`);
      return pacer;
    });
  };
  async function pace(req: HttpRequest): Promise<number> {
    let waitedMs = 0;
    for (const pacer of pacersFor(req)) waitedMs += await pacer.acquire();
    return waitedMs;
  }
  let closing: Promise<void> | undefined;

  /** `errorCode` is undici's or Node's stable code (e.g. ECONNRESET), never an error message. */
  function logAttempt(
    req: HttpRequest,
    attempt: number,
    status: number | 'network_error',
    startedAt: number,
    errorCode?: string,
  ) {
    const fields = { op: req.op, method: req.method, status, ms: now() - startedAt, attempt };
    logger.debug(errorCode === undefined ? fields : { ...fields, errorCode }, 'http attempt');
  }

  async function handleResponse(response: Dispatcher.ResponseData, req: HttpRequest): Promise<AttemptOutcome> {
    const label = labelOf(req);
    const { statusCode: status, headers } = response;
    if (status < 200 || status > 299) {
      await discardBody(response.body);
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now()) : undefined;
      return { ok: false, failure: failureForStatus(status, label, retryAfterMs) };
    }
    const limit = Math.min(req.maxResponseBytes ?? maxBytes, maxBytes);
    const body = await readResponseBody(response, { expect: req.expect ?? 'json', maxBytes: limit, label });
    return body.ok ? { ok: true, response: { status, headers, body: body.value } } : { ok: false, failure: body.error };
  }

  async function send(req: HttpRequest, token: string | undefined, attempt: number): Promise<AttemptOutcome> {
    const { body, contentType } = encodeBody(req);
    const startedAt = now();
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: base.origin,
        method: req.method,
        path: buildRequestPath(base.basePath, req.path, req.query),
        headers: buildHeaders(req, contentType, token, auth),
        body: body ?? null,
        idempotent: req.idempotent ?? IDEMPOTENT_BY_DEFAULT[req.method],
        // Also per request, so an injected dispatcher gets the configured timeouts too.
        headersTimeout: http.headersTimeoutMs,
        bodyTimeout: http.bodyTimeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      counter.record(source, kind, 'network_error');
      const failure = failureForNetworkError(error, labelOf(req));
      logAttempt(req, attempt, 'network_error', startedAt, failure.reason);
      return { ok: false, failure };
    }
    counter.record(source, kind, response.statusCode);
    const outcome = await handleResponse(response, req);
    logAttempt(req, attempt, response.statusCode, startedAt);
    return outcome;
  }

  async function attemptOnce(req: HttpRequest, attempt: number): Promise<AttemptOutcome> {
    const waitedMs = await pace(req);
    if (waitedMs >= PACING_NOTICE_MS) {
      const pacing = typeof req.pacing === 'object' ? req.pacing.join('+') : (req.pacing ?? 'default');
      logger.info({ op: req.op, method: req.method, pacing, waitedMs }, "waited for the vendor's rate limit");
    }
    // The token is fetched after pacing so a long wait for a slot cannot leave us sending an expired one.
    if (!auth || req.anonymous) return send(req, undefined, attempt);
    const token = await auth.token();
    if (!token.ok) return { ok: false, failure: { error: token.error, transience: 'none', reason: 'token' } };
    const outcome = await send(req, token.value, attempt);
    return outcome.ok ? outcome : { ...outcome, token: token.value };
  }

  async function request<T>(req: HttpRequest): Promise<Result<HttpResponse<T>, AdapterError>> {
    if (closing) return err(adapterError('unavailable', `${req.method} ${req.op}: HTTP client is closed`));
    const idempotent = req.idempotent ?? IDEMPOTENT_BY_DEFAULT[req.method];
    let retries = 0;
    let refreshedToken = false;
    const stopping = () => err(adapterError('unavailable', `${labelOf(req)}: abandoned, dlp-bot is stopping`));
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) return stopping();
      const outcome = await attemptOnce(req, attempt);
      if (outcome.ok) return ok(outcome.response as HttpResponse<T>);
      if (signal?.aborted) return stopping();
      const { failure, token } = outcome;
      if (failure.transience === 'unauthorized' && token !== undefined && !refreshedToken) {
        // Vendors revoke or rotate tokens before their stated expiry; one fresh token tells that from bad credentials.
        auth?.invalidate(token);
        refreshedToken = true;
        logger.warn({ op: req.op, method: req.method, attempt, reason: failure.reason }, 'http retry');
        continue;
      }
      const decision = decideRetry(failure, {
        idempotent,
        retriesSoFar: retries,
        maxRetries: http.maxRetries,
        random,
        maxRetryAfterMs: req.maxRetryAfterMs,
      });
      if (!decision.retry) return err(decision.error);
      const { waitMs } = decision;
      logger.warn({ op: req.op, method: req.method, attempt, reason: failure.reason, waitMs }, 'http retry');
      retries += 1;
      await sleep(waitMs);
    }
  }

  return {
    request,
    close() {
      // An injected dispatcher may be shared, so only the pool this client created is closed here.
      closing ??= ownsDispatcher ? dispatcher.close() : Promise.resolve();
      return closing;
    },
  };
}
