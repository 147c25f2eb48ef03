import type { z } from 'zod';
import type { SourceConfig } from '../../../src/config/schema.js';
import type { Secret } from '../../../src/config/secret.js';
import type { AdapterError } from '../../../src/domain/errors.js';
import { err, type Result } from '../../../src/domain/result.js';
import { otherIncidentError } from '../../../src/domain/vendor-id.js';
import { idSegment } from '../../../src/http/url.js';
import { type AdapterDeps, SNIPPET_RESPONSE_MAX_BYTES } from '../../../src/ports/index.js';
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
  const incidentPath = (id: string) => `/incidents/${idSegment(id)}`;
  /** An answer about one incident, refused when it is about another. */
  const sameIncident = (op: string, id: string, answer: Result<PanIncident, AdapterError>) =>
    !answer.ok || answer.value.incident_id === id ? answer : err(otherIncidentError(op));

  return {
    listPage: (q) =>
      call(PanIncidentPage, {
        method: 'GET',
        path: '/incidents',
        query: { status: q.status, offset: q.offset, limit: q.limit, start_time: q.startTime },
        op: 'listIncidents',
      }),
    getIncident: async (id) =>
      sameIncident(
        'getIncident',
        id,
        await call(PanIncident, { method: 'GET', path: incidentPath(id), op: 'getIncident' }),
      ),
    updateIncident: async (id, body) => {
      const op = 'updateIncident';
      return sameIncident(op, id, await call(PanIncident, { method: 'PUT', path: incidentPath(id), json: body, op }));
    },
    async getSnippets(id) {
      const op = 'getSnippets';
      const path = `${incidentPath(id)}/snippets`;
      const answer = await call(PanSnippets, { method: 'GET', path, maxResponseBytes: SNIPPET_RESPONSE_MAX_BYTES, op });
      // The id is optional in the answer; when it is there it must be this incident's (evidence of another is not).
      const other = answer.ok && answer.value.incident_id && answer.value.incident_id !== id;
      return other ? err(otherIncidentError(op)) : answer;
    },
    tokenLifetimeMs,
    close,
  };
}
