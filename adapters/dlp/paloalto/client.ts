import type { z } from 'zod';
import type { SourceConfig } from '../../../src/config/schema.js';
import type { Secret } from '../../../src/config/secret.js';
import type { AdapterError } from '../../../src/domain/errors.js';
import type { Result } from '../../../src/domain/result.js';
import type { AdapterDeps } from '../../../src/ports/index.js';
import { createSaseApi } from './api.js';
import { PanIncident, PanIncidentPage, PanSnippets } from './schema.js';

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

export function createPaloAltoClient(config: PaloAltoConfig, deps: AdapterDeps): PaloAltoClient {
  const { call, tokenLifetimeMs, close } = createSaseApi(config, deps);
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
    tokenLifetimeMs,
    close,
  };
}
