import type { z } from 'zod';
import type { AdapterError } from '../../../../src/domain/errors.js';
import { err, ok, type Result } from '../../../../src/domain/result.js';
import { otherIncidentError } from '../../../../src/domain/vendor-id.js';
import { idSegment } from '../../../../src/http/url.js';
import { type AdapterDeps, SNIPPET_RESPONSE_MAX_BYTES } from '../../../../src/ports/index.js';
import { createSaseApi } from '../api.js';
import type { PublishedConfig } from '../config.js';
import { type PubAssignee, PubAssignees, PubIncidentDetail, PubIncidentPage, PubReport } from './schema.js';

type R<T> = Promise<Result<T, AdapterError>>;

export interface PublishedListQuery {
  pageNumber: number;
  pageSize: number;
  startTime: string;
}

export interface Feedback {
  type: 'CONFIRMED_FALSE_POSITIVE';
  userId: string;
  reportId: string;
  serviceName: string;
}

/** The published API's calls, each validated with zod at the boundary. No pagination or business rules here. */
export interface PublishedClient {
  listPage(query: PublishedListQuery): R<z.infer<typeof PubIncidentPage>>;
  getIncident(id: string): R<PubIncidentDetail>;
  listAssignees(): R<PubAssignee[]>;
  setAssignee(id: string, assigneeId: string): R<void>;
  /** Replaces the incident's one notes field (the API has no append). */
  setNotes(id: string, notes: string): R<void>;
  sendFeedback(id: string, feedback: Feedback): R<void>;
  /** The scan report with its detections; evidence, so the caller masks it and keeps nothing. */
  getReport(reportId: string): R<PubReport>;
  tokenLifetimeMs(): R<number>;
  close(): Promise<void>;
}

export function createPublishedClient(config: PublishedConfig, deps: AdapterDeps): PublishedClient {
  const api = createSaseApi(config, deps);
  const { call } = api;
  const region = config.region;
  /** The v1 PUTs take a bare JSON string as their body and answer without one. */
  const put = async (path: string, value: string, op: string): R<void> => {
    const response = await api.request({ method: 'PUT', path, query: { region }, json: value, expect: 'empty', op });
    return response.ok ? ok(undefined) : response;
  };
  const incident = idSegment;

  return {
    listPage: (q) =>
      call(PubIncidentPage, {
        method: 'GET',
        path: '/v2/api/incidents',
        // Oldest first: incidents that arrive while we page land on the last page instead of shifting every page.
        query: {
          region,
          start_time: q.startTime,
          page_number: q.pageNumber,
          page_size: q.pageSize,
          ascending: true,
        },
        op: 'listIncidents',
      }),
    async getIncident(id) {
      const op = 'getIncident';
      const answer = await call(PubIncidentDetail, {
        method: 'GET',
        path: `/v2/api/incidents/${incident(id)}`,
        query: { region },
        op,
      });
      // Notes, feedback and snippets are read through this: another incident's answer must never feed them.
      return !answer.ok || answer.value.incident_id === id ? answer : err(otherIncidentError(op));
    },
    listAssignees: () => call(PubAssignees, { method: 'GET', path: '/v1/api/incidents/assignee', op: 'listAssignees' }),
    setAssignee: (id, assigneeId) => put(`/v1/api/incidents/${incident(id)}/assignee`, assigneeId, 'assignIncident'),
    setNotes: (id, notes) => put(`/v1/api/incidents/${incident(id)}/notes`, notes, 'updateNotes'),
    async sendFeedback(id, feedback) {
      const response = await api.request({
        method: 'POST',
        path: `/v1/public/incident-feedback/${incident(id)}`,
        query: { feedback_type: feedback.type, region },
        json: { user_id: feedback.userId, report_id: feedback.reportId, service_name: feedback.serviceName },
        expect: 'empty',
        // Setting the same feedback twice leaves the incident as it was, so a retry after a timeout is safe.
        idempotent: true,
        op: 'incidentFeedback',
      });
      return response.ok ? ok(undefined) : response;
    },
    getReport: (reportId) =>
      call(PubReport, {
        method: 'GET',
        path: `/v1/public/report/${idSegment(reportId)}`,
        query: { fetchSnippets: true },
        maxResponseBytes: SNIPPET_RESPONSE_MAX_BYTES,
        op: 'getReport',
      }),
    tokenLifetimeMs: api.tokenLifetimeMs,
    close: api.close,
  };
}
