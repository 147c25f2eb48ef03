import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import {
  codeForStatus,
  createBearerAuth,
  createHttpClient,
  type HttpResponse,
  responseValidator,
  sourceClientBase,
} from '../../../src/http/index.js';
import { parseRetryAfter } from '../../../src/http/retry-policy.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import type { SkyhighConfig } from './config.js';
import { ShnEntity, ShnIncidentPage, ShnResponseInfo, ShnToken } from './schema.js';

/** The window of one queryIncidents call, on timeModified; startTime inclusive, endTime exclusive. */
export interface QueryWindow {
  startMs: number;
  endMs?: number | undefined;
}

export interface QueryPage {
  incidents: unknown[];
  nextStartTime: string | null;
}

export interface StatusChange {
  incidentId: string;
  changeRequests: { WORKFLOW_STATUS: string };
}

/** The two incident calls, validated at the boundary. No paging or business rules here. */
export interface SkyhighClient {
  queryIncidents(window: QueryWindow, limit: number): Promise<Result<QueryPage, AdapterError>>;
  /** `processed` is `responseInfo.actualLimit` (null when the server leaves it out). */
  modifyIncidents(changes: StatusChange[]): Promise<Result<{ processed: number | null }, AdapterError>>;
  /** Token mode: a valid token's lifetime (fetching one if none is cached); null in Basic mode. */
  tokenLifetimeMs(): Promise<Result<number | null, AdapterError>>;
  close(): Promise<void>;
}

const validated = responseValidator('Skyhigh');

/** An error Skyhigh reported inside a 200 (the entity's status, or `responseInfo.error`): the same codes as HTTP. */
function reported(
  op: string,
  code: number,
  target: string | null | undefined,
  response: HttpResponse,
  nowMs: number,
): AdapterError {
  const where = target ? ` (${target.slice(0, 80)})` : '';
  const retryAfterMs =
    code === 429 || code === 503 ? parseRetryAfter(response.headers['retry-after'], nowMs) : undefined;
  return adapterError(codeForStatus(code), `${op}: Skyhigh reported ${code}${where}`, {
    status: code,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

export function createSkyhighClient(config: SkyhighConfig, deps: AdapterDeps): SkyhighClient {
  const base = sourceClientBase(config, deps);
  const basic = `Basic ${Buffer.from(`${config.usernameEnv.reveal()}:${config.passwordEnv.reveal()}`).toString('base64')}`;
  const tokenHttp = createHttpClient({ ...base, baseUrl: config.baseUrl, counterKind: 'token' });
  const exchangeHttp = config.tokenExchangeUrl
    ? createHttpClient({ ...base, baseUrl: config.tokenExchangeUrl, counterKind: 'token' })
    : undefined;
  let lastLifetimeMs = 0;
  let formLogged = false;

  const fetchToken = async () => {
    const headers: Record<string, string> = { authorization: basic };
    if (config.tenantId) headers['bps-tenant-id'] = config.tenantId;
    const iam = await tokenHttp.request({
      method: 'POST',
      path: '/v1/token',
      query: { grant_type: 'password', token_type: 'iam' },
      headers,
      anonymous: true,
      idempotent: true,
      op: 'fetchToken',
    });
    if (!iam.ok) return iam;
    const iamToken = validated(ShnToken, 'fetchToken', iam.value.body);
    if (!iamToken.ok) return iamToken;
    let token = iamToken.value;
    if (exchangeHttp) {
      const exchanged = await exchangeHttp.request({
        method: 'POST',
        path: '',
        query: { grant_type: 'iam_token', skip_audit: 'true' },
        headers: { 'x-iam-token': iamToken.value.access_token },
        json: {},
        anonymous: true,
        idempotent: true,
        op: 'exchangeToken',
      });
      if (!exchanged.ok) return exchanged;
      const neo = validated(ShnToken, 'exchangeToken', exchanged.value.body);
      if (!neo.ok) return neo;
      token = neo.value;
    }
    // The IAM answer carries no lifetime; the docs say 10-15 minutes, so the configured (short) guess applies.
    lastLifetimeMs = (token.expires_in ?? config.tokenLifetimeSec) * 1000;
    return ok({ accessToken: token.access_token, expiresInMs: lastLifetimeMs });
  };
  const bearer =
    config.auth === 'token' ? createBearerAuth({ fetchToken, now: () => deps.clock.now().getTime() }) : undefined;
  const api = createHttpClient({ ...base, baseUrl: config.baseUrl, ...(bearer ? { auth: bearer } : {}) });
  const authHeaders: Record<string, string> = bearer ? {} : { authorization: basic };

  /** Unwraps the serialised ResponseEntity (the documented form); a bare body, which no client reports, is read as is. */
  const unwrap = (op: string, response: HttpResponse): Result<unknown, AdapterError> => {
    const body = response.body;
    const wrapped =
      typeof body === 'object' &&
      body !== null &&
      'body' in body &&
      ('statusCodeValue' in body || 'statusCode' in body);
    if (!formLogged) {
      formLogged = true;
      deps.logger.debug({ form: wrapped ? 'ResponseEntity' : 'bare body' }, 'skyhigh response form');
    }
    if (!wrapped) return ok(body);
    const entity = validated(ShnEntity, op, body);
    if (!entity.ok) return entity;
    const status = entity.value.statusCodeValue;
    if (typeof status === 'number' && (status < 200 || status > 299)) {
      if (status === 404 && op === 'queryIncidents') return ok({ responseInfo: { error: { code: 404 } } });
      return err(reported(op, status, null, response, deps.clock.now().getTime()));
    }
    return ok(entity.value.body);
  };

  let noDataLogged = false;
  const noData = (): Result<QueryPage, AdapterError> => {
    if (!noDataLogged) {
      noDataLogged = true;
      deps.logger.debug('skyhigh answers 404 (no data) for an empty window');
    }
    return ok({ incidents: [], nextStartTime: null });
  };

  return {
    async queryIncidents(window, limit) {
      const op = 'queryIncidents';
      const criteria: Record<string, unknown> = {
        startTime: new Date(window.startMs).toISOString(),
        ...(window.endMs === undefined ? {} : { endTime: new Date(window.endMs).toISOString() }),
        incidentCriteria: {
          ...(config.categories.length ? { categories: config.categories } : {}),
          product: config.product,
          ...(config.fields ? { fields: config.fields } : {}),
        },
      };
      const response = await api.request({
        method: 'POST',
        path: '/v1/queryIncidents',
        query: { limit },
        json: criteria,
        headers: authHeaders,
        // A read, whatever its method: safe to repeat after a timeout or a 5xx.
        idempotent: true,
        op,
      });
      // The swagger's 404 is "no data for the criteria"; clients have only seen empty 200s, but both mean none.
      if (!response.ok) return response.error.status === 404 ? noData() : response;
      const inner = unwrap(op, response.value);
      if (!inner.ok) return inner;
      const page = validated(ShnIncidentPage, op, inner.value);
      if (!page.ok) return page;
      const error = page.value.responseInfo?.error;
      if (error && typeof error.code === 'number') {
        return error.code === 404
          ? noData()
          : err(reported(op, error.code, error.target, response.value, deps.clock.now().getTime()));
      }
      const { incidents } = page.value;
      if (!Array.isArray(incidents)) {
        return err(
          adapterError('schema_mismatch', `${op}: the response has no incidents list`, {
            issues: ['incidents: missing'],
          }),
        );
      }
      return ok({ incidents, nextStartTime: page.value.responseInfo?.nextStartTime ?? null });
    },
    async modifyIncidents(changes) {
      const op = 'modifyIncidents';
      const response = await api.request({
        method: 'POST',
        path: '/v1/modifyIncidents',
        json: changes,
        headers: authHeaders,
        // Setting a status to a value is idempotent: a repeat after a timeout sets the same value again.
        idempotent: true,
        op,
      });
      if (!response.ok) return response;
      const inner = unwrap(op, response.value);
      if (!inner.ok) return inner;
      const info = validated(ShnResponseInfo, op, inner.value);
      if (!info.ok) return info;
      const error = info.value.error;
      if (error && typeof error.code === 'number')
        return err(reported(op, error.code, error.target, response.value, deps.clock.now().getTime()));
      return ok({ processed: info.value.actualLimit ?? null });
    },
    async tokenLifetimeMs() {
      if (!bearer) return ok(null);
      const token = await bearer.token();
      return token.ok ? ok(lastLifetimeMs) : token;
    },
    async close() {
      await Promise.allSettled([api.close(), tokenHttp.close(), exchangeHttp?.close()]);
    },
  };
}
