import type { z } from 'zod';
import type { AdapterError } from '../../../src/domain/errors.js';
import { err, type Result } from '../../../src/domain/result.js';
import { otherIncidentError } from '../../../src/domain/vendor-id.js';
import { createHttpClient, type HttpRequest, responseValidator, sourceClientBase } from '../../../src/http/index.js';
import { type AdapterDeps, SNIPPET_RESPONSE_MAX_BYTES } from '../../../src/ports/index.js';
import type { SymantecConfig } from './config.js';
import {
  SymComponentMatches,
  SymEditableAttributes,
  SymPatchResponse,
  SymQueryResponse,
  SymStaticAttributes,
  SymStatuses,
} from './schema.js';

/** The query language of `POST /incidents` (leaf filters nest under `booleanLogic`). */
export type Filter =
  | { filterType: 'booleanLogic'; booleanOperator: 'AND' | 'OR'; filters: Filter[] }
  | {
      filterType: 'long' | 'string' | 'localDateTime' | 'boolean';
      operandOne: { name: string };
      operator: 'EQ' | 'IN' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'LIKE' | 'IS_NULL' | 'IS_NOT_NULL';
      operandTwoValues?: (string | number | boolean)[];
    };

export interface QueryBody {
  select: { name: string }[];
  filter: Filter;
  orderBy: { field: { name: string }; order: 'ASC' | 'DESC' }[];
  page: { type: 'offset'; pageNumber: number; pageSize: number };
}

export interface PatchBody {
  incidentIds: number[];
  incidentStatusId?: number;
  incidentStatusName?: string;
  incidentNotes?: { note: string; dateTime?: string }[];
  dataOwnerName?: string;
  dataOwnerEmail?: string;
  incidentCustomAttributes?: { columnIndex: number; value: string }[];
}

type Call<S extends z.ZodType> = Promise<Result<z.infer<S>, AdapterError>>;

/** Enforce's calls, each validated with zod at the boundary. No paging, status names or business rules here. */
export interface SymantecClient {
  query(body: QueryBody): Call<typeof SymQueryResponse>;
  statuses(): Call<typeof SymStatuses>;
  staticAttributes(id: number): Call<typeof SymStaticAttributes>;
  editableAttributes(id: number): Call<typeof SymEditableAttributes>;
  patch(body: PatchBody): Call<typeof SymPatchResponse>;
  matches(id: number): Call<typeof SymComponentMatches>;
  close(): Promise<void>;
}

const validated = responseValidator('Enforce');

export function createSymantecClient(config: SymantecConfig, deps: AdapterDeps): SymantecClient {
  const api = createHttpClient({ ...sourceClientBase(config, deps), baseUrl: config.baseUrl.replace(/\/$/, '') });
  // Basic auth on every request: Enforce has no token or session. Built per call so the secret is not kept twice.
  const authorization = () =>
    `Basic ${Buffer.from(`${config.usernameEnv.reveal()}:${config.passwordEnv.reveal()}`).toString('base64')}`;

  const call = async <S extends z.ZodType>(schema: S, request: HttpRequest) => {
    const response = await api.request({ ...request, headers: { authorization: authorization() } });
    return response.ok ? validated(schema, request.op, response.value.body) : response;
  };
  const incident = (id: number, suffix: string) => `/incidents/${id}/${suffix}`;
  /** One incident's attributes, refused when Enforce answers with another incident's. */
  const sameIncident = <T extends { incidentId: number }>(op: string, id: number, answer: Result<T, AdapterError>) =>
    !answer.ok || answer.value.incidentId === id ? answer : err(otherIncidentError(op));

  return {
    // A query changes nothing, so a timed-out one may be repeated like a GET.
    query: (body) =>
      call(SymQueryResponse, {
        method: 'POST',
        path: '/incidents',
        json: body,
        idempotent: true,
        op: 'queryIncidents',
      }),
    statuses: () => call(SymStatuses, { method: 'GET', path: '/incidents/statuses', op: 'listStatuses' }),
    staticAttributes: async (id) => {
      const op = 'getStaticAttributes';
      return sameIncident(
        op,
        id,
        await call(SymStaticAttributes, { method: 'GET', path: incident(id, 'staticAttributes'), op }),
      );
    },
    editableAttributes: async (id) => {
      const op = 'getEditableAttributes';
      const answer = await call(SymEditableAttributes, { method: 'GET', path: incident(id, 'editableAttributes'), op });
      return sameIncident(op, id, answer);
    },
    // Not idempotent: a repeated note is a second note. A 429 is still retried (the server did not act on it).
    patch: (body) => call(SymPatchResponse, { method: 'PATCH', path: '/incidents', json: body, op: 'updateIncidents' }),
    matches: (id) =>
      call(SymComponentMatches, {
        method: 'GET',
        path: incident(id, 'components/matches'),
        maxResponseBytes: SNIPPET_RESPONSE_MAX_BYTES,
        op: 'getMatches',
      }),
    close: () => api.close(),
  };
}
