import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import { readBody, sendJson, sendText } from '../../simulator-kit/respond.js';
import type { IncidentPatch, PaloAltoDataset } from '../dataset.js';
import { STATUSES } from './catalog.js';
import { createListIndex, parseListQuery } from './query.js';
import { isMalformed, malform, type PaloAltoQuirks, REPEATED_RECORDS, truncateJson } from './quirks.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface IncidentHandlers {
  list: Handler;
  get: Handler;
  update: Handler;
  snippets: Handler;
}

/** The seed spec's `ErrorResponse`. */
export function sendPanError(res: ServerResponse, status: number, error: string, message: string, headers = {}) {
  sendJson(res, status, { error, message }, headers);
}

const MAX_COMMENT = 10_000;

export function createIncidentHandlers(
  dataset: PaloAltoDataset,
  clock: Clock,
  quirks: PaloAltoQuirks,
): IncidentHandlers {
  const index = createListIndex(dataset);
  const now = () => clock.now().getTime();

  /** Only records whose timestamp has passed exist, as far as the API is concerned. */
  const visiblePosition = (ctx: RequestContext): number | undefined => {
    const position = dataset.positionOf(ctx.params.incident_id ?? '');
    if (position !== undefined && position < dataset.visibleCount(now())) return position;
    sendPanError(ctx.res, 404, 'not_found', `incident ${JSON.stringify(ctx.params.incident_id)} not found`);
    return undefined;
  };

  return {
    list({ res, url }) {
      const parsed = parseListQuery(url.searchParams);
      if (!parsed.ok) return sendPanError(res, 400, 'bad_request', parsed.message);
      const { offset, limit } = parsed.value;
      const start = quirks.offsetIgnored ? 0 : offset;
      const selection = index.select(parsed.value, now());
      const repeated = quirks.repeatRecords && start > 0 ? Math.min(REPEATED_RECORDS, limit, start) : 0;
      const share = quirks.malformedRecordShare ?? 0;
      const incidents = selection.slice(start - repeated, start + limit).map((position) => {
        const record = dataset.incident(position);
        return isMalformed(dataset.seed, position, share) ? malform(dataset.seed, position, record) : record;
      });
      const body = { total: selection.total + (quirks.inflateTotal ?? 0), offset, limit, incidents };
      if (quirks.invalidJson) return sendText(res, 200, truncateJson(JSON.stringify(body)), 'application/json');
      sendJson(res, 200, body);
    },
    get(ctx) {
      const position = visiblePosition(ctx);
      if (position === undefined) return;
      const answered = quirks.getAnswersAnother ? anotherPosition(position, dataset.visibleCount(now())) : position;
      sendJson(ctx.res, 200, dataset.incident(answered));
    },
    async update(ctx) {
      const position = visiblePosition(ctx);
      if (position === undefined) return;
      const patch = await readPatch(ctx.req);
      if (typeof patch === 'string') return sendPanError(ctx.res, 400, 'bad_request', patch);
      const updated = dataset.update(position, patch, now());
      if (quirks.unreadableWriteAnswers)
        return sendText(ctx.res, 200, truncateJson(JSON.stringify(updated)), 'application/json');
      sendJson(ctx.res, 200, updated);
    },
    snippets(ctx) {
      const position = visiblePosition(ctx);
      if (position === undefined) return;
      if (!quirks.getAnswersAnother) {
        return sendJson(ctx.res, 200, { incident_id: ctx.params.incident_id, snippets: dataset.snippets(position) });
      }
      const other = anotherPosition(position, dataset.visibleCount(now()));
      sendJson(ctx.res, 200, { incident_id: dataset.incident(other).incident_id, snippets: dataset.snippets(other) });
    },
  };
}

/** The record a `getAnswersAnother` simulator answers with instead: the next one (the previous for the last). */
export const anotherPosition = (position: number, visible: number) =>
  position + 1 < visible ? position + 1 : position - 1;

/** The updateIncident request body, validated strictly; a string is the 400 message. */
async function readPatch(req: IncomingMessage): Promise<IncidentPatch | string> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return 'Content-Type must be application/json';
  }
  const text = await readBody(req, 256_000);
  if (text === undefined) return 'request body too large';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'request body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'request body must be a JSON object';
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => key !== 'status' && key !== 'reviewer_comments');
  if (unknown.length) return `unknown field(s): ${unknown.join(', ')}`;
  const { status, reviewer_comments: comments } = fields;
  if (status === undefined && comments === undefined) return 'provide status and/or reviewer_comments';
  const patch: IncidentPatch = {};
  if (status !== undefined) {
    if (!STATUSES.includes(status as never)) return `status must be one of ${STATUSES.join(', ')}`;
    patch.status = status as IncidentPatch['status'];
  }
  if (comments !== undefined) {
    if (typeof comments !== 'string') return 'reviewer_comments must be a string';
    if (comments.length > MAX_COMMENT) return `reviewer_comments must be at most ${MAX_COMMENT} characters`;
    patch.reviewer_comments = comments;
  }
  return patch;
}
