import type { Dispatcher } from 'undici';
import type { HttpOptions } from '../config/schema.js';
import type { AdapterError } from '../domain/errors.js';
import type { Result } from '../domain/result.js';
import type { Logger } from '../log.js';
import type { RequestCounter } from './counter.js';
import type { Egress } from './egress.js';
import type { PaceLimits } from './pacer.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to baseUrl's path, e.g. '/incidents'. */
  path: string;
  /** `undefined` values are dropped; arrays repeat the key. */
  query?: Record<string, QueryValue>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Safe to repeat after a timeout or 5xx. Default: true for GET/PUT/DELETE, false for POST/PATCH. */
  idempotent?: boolean;
  /** How to read the body. 'json' (default) parses JSON; 'empty' drains it; 'text' returns a string. */
  expect?: 'json' | 'empty' | 'text';
  /** Skip bearer auth (for the token endpoint itself). */
  anonymous?: boolean;
  /**
   * The rate-limit class(es) this request counts against, from `HttpClientOptions.pacing` (vendors that publish a
   * limit per endpoint class); with several, each must grant a slot, in order (a sub-budget inside a shared one).
   * Omitted: the client-wide limit from `http.requestsPerMinute`/`requestsPerHour`.
   */
  pacing?: string | readonly string[];
  /**
   * The longest `Retry-After` this request may wait out (default 60 s, `MAX_RETRY_AFTER_MS`). A click must not
   * hang; a background scan may wait for a vendor's hourly window instead of failing.
   */
  maxRetryAfterMs?: number;
  /**
   * A lower cap than the client's on this answer's bytes (never a higher one): evidence is read for one click, so a
   * vendor's 40 MB snippet must fail fast instead of being read, parsed and held while the clicker waits.
   */
  maxResponseBytes?: number;
  /** Operation name for logs, e.g. 'listIncidents' — never include ids or user data. */
  op: string;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<Result<HttpResponse<T>, AdapterError>>;
  /** Closes the pool this client created; idempotent. */
  close(): Promise<void>;
}

export interface BearerAuth {
  /** A valid token, fetching or refreshing as needed; concurrent callers share one in-flight fetch. */
  token(): Promise<Result<string, AdapterError>>;
  /** Called after a 401: forget this token so the next token() fetches a new one (no-op if already replaced). */
  invalidate(rejected: string): void;
  /** The request headers that carry a token; default `Authorization: Bearer <token>`. */
  headers?(token: string): Record<string, string>;
}

export interface HttpClientOptions {
  /** Source id, for logs and the counter. */
  source: string;
  /** Origin + optional base path, e.g. http://127.0.0.1:4010/v4. */
  baseUrl: string;
  http: HttpOptions;
  counter: RequestCounter;
  logger: Logger;
  auth?: BearerAuth;
  /** Injected for tests; default real timers / Date. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** For jitter; inject to make tests deterministic. */
  random?: () => number;
  /** Default: a new undici Pool for the origin, owned (and closed) by the client. An injected one is the caller's to close. */
  dispatcher?: Dispatcher;
  /** Send through this outbound proxy (from HTTPS_PROXY / HTTP_PROXY / NO_PROXY); omitted, connect directly. */
  egress?: Egress;
  /** Counted as 'token' instead of 'api' (the token endpoint client). */
  counterKind?: 'api' | 'token';
  /** Default 64 MiB; a larger response is an error and its body is destroyed. */
  maxResponseBytes?: number;
  /**
   * Named rate-limit classes sharing this client (and its token): each gets its own pacer, and a request picks one
   * with `HttpRequest.pacing`. For vendors whose published limits differ per endpoint (ZWA: search 20/min, reads 30/min).
   */
  pacing?: Readonly<Record<string, PaceLimits>>;
  /** Aborts requests in flight and pacing or retry waits; a request after it answers `unavailable` at once. */
  signal?: AbortSignal;
}
