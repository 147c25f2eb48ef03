import type { z } from 'zod';
import type { SourceConfig } from '../../../src/config/schema.js';
import type { Secret } from '../../../src/config/secret.js';
import { type AdapterError, adapterError } from '../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../src/domain/result.js';
import { createBearerAuth, createHttpClient, type HttpRequest } from '../../../src/http/index.js';
import type { AdapterDeps } from '../../../src/ports.js';
import { PanIncident, PanIncidentPage, PanSnippets, PanToken } from './schema.js';

export interface PaloAltoConfig extends SourceConfig {
  baseUrl: string;
  tokenUrl: string;
  tsgId?: string | undefined;
  clientIdEnv: Secret;
  clientSecretEnv: Secret;
  consoleUrl?: string | undefined;
  pageSize: number;
  listStatuses: ('open' | 'in_review' | 'resolved' | 'dismissed')[];
}

export interface ListQuery {
  status: string;
  offset: number;
  limit: number;
  startTime?: string | undefined;
}

/** The seed API's calls, each validated with zod at the boundary. No pagination or business rules here. */
export interface PaloAltoClient {
  listPage(query: ListQuery): Promise<Result<z.infer<typeof PanIncidentPage>, AdapterError>>;
  getIncident(id: string): Promise<Result<PanIncident, AdapterError>>;
  updateIncident(
    id: string,
    body: { status?: string; reviewer_comments?: string },
  ): Promise<Result<PanIncident, AdapterError>>;
  getSnippets(id: string): Promise<Result<z.infer<typeof PanSnippets>, AdapterError>>;
  /** A valid token's full lifetime (fetching one if none is cached); for `doctor`. */
  tokenLifetimeMs(): Promise<Result<number, AdapterError>>;
  close(): Promise<void>;
}

function validated<S extends z.ZodType>(schema: S, op: string, body: unknown): Result<z.infer<S>, AdapterError> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  // Issue paths and messages only: the offending values may be evidence and never reach a log.
  const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return err(adapterError('schema_mismatch', `${op}: the response did not match the Palo Alto API schema`, { issues }));
}

export function createPaloAltoClient(config: PaloAltoConfig, deps: AdapterDeps): PaloAltoClient {
  const base = { source: config.id, http: config.http, counter: deps.counter, logger: deps.logger };
  const tokenHttp = createHttpClient({ ...base, baseUrl: config.tokenUrl, counterKind: 'token' });
  let lastLifetimeMs = 0;
  const fetchToken = async () => {
    const basic = Buffer.from(`${config.clientIdEnv.reveal()}:${config.clientSecretEnv.reveal()}`).toString('base64');
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (config.tsgId) form.scope = `tsg_id:${config.tsgId}`;
    const response = await tokenHttp.request({
      method: 'POST',
      path: '',
      form,
      headers: { authorization: `Basic ${basic}` },
      anonymous: true,
      // A token request changes nothing at the vendor, so retrying it after a timeout is safe.
      idempotent: true,
      op: 'fetchToken',
    });
    if (!response.ok) return response;
    const token = validated(PanToken, 'fetchToken', response.value.body);
    if (!token.ok) return token;
    lastLifetimeMs = token.value.expires_in * 1000;
    return ok({ accessToken: token.value.access_token, expiresInMs: lastLifetimeMs });
  };
  // The injected clock, so token expiry follows the same time as everything else (tests, the sandbox).
  const auth = createBearerAuth({ fetchToken, now: () => deps.clock.now().getTime() });
  const api = createHttpClient({ ...base, baseUrl: config.baseUrl, auth });

  const call = async <S extends z.ZodType>(schema: S, request: HttpRequest) => {
    const response = await api.request(request);
    return response.ok ? validated(schema, request.op, response.value.body) : response;
  };
  const incidentPath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

  return {
    listPage: (q) =>
      call(PanIncidentPage, {
        method: 'GET',
        path: '/incidents',
        query: { status: q.status, offset: q.offset, limit: q.limit, start_time: q.startTime },
        op: 'listIncidents',
      }),
    getIncident: (id) => call(PanIncident, { method: 'GET', path: incidentPath(id), op: 'getIncident' }),
    updateIncident: (id, body) =>
      call(PanIncident, { method: 'PUT', path: incidentPath(id), json: body, op: 'updateIncident' }),
    getSnippets: (id) => call(PanSnippets, { method: 'GET', path: `${incidentPath(id)}/snippets`, op: 'getSnippets' }),
    async tokenLifetimeMs() {
      const token = await auth.token();
      return token.ok ? ok(lastLifetimeMs) : token;
    },
    async close() {
      await Promise.allSettled([api.close(), tokenHttp.close()]);
    },
  };
}
