import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../../../../src/ports/index.js';
import { readBody, sendJson, sendText } from '../../../simulator-kit/respond.js';
import type { PaloAltoDataset } from '../../dataset.js';
import { anotherPosition, type Handler, type RequestContext, sendPanError } from '../incidents.js';
import { createListIndex } from '../query.js';
import type { PaloAltoQuirks } from '../quirks.js';
import { positionOfReport, reportIdOf } from './ids.js';
import { parsePublishedListQuery, parseRegion } from './query.js';
import { detail, listEntry, positionOfIncident, publishedChannelOf, report } from './records.js';
import { FEEDBACK_TYPES, type FeedbackType, type PublishedState } from './state.js';

const MAX_NOTES = 10_000;

/**
 * The published routes over the shared dataset. Every record lives in region `us`; the other regions are valid
 * and empty. Error bodies follow the seed simulator's `{error, message}` (pan.dev publishes no error schema).
 */
export function createPublishedHandlers(
  dataset: PaloAltoDataset,
  state: PublishedState,
  clock: Clock,
  quirks: PaloAltoQuirks = {},
) {
  const index = createListIndex(dataset);
  const now = () => clock.now().getTime();

  /** The visible record a path's id names in the requested region, or a 400/404 already sent. */
  const located = (ctx: RequestContext): number | undefined => {
    const region = parseRegion(ctx.url.searchParams);
    if (!region.ok) return void sendPanError(ctx.res, 400, 'bad_request', region.message);
    const id = ctx.params.incidentID ?? '';
    const position = positionOfIncident(dataset, id);
    if (region.value === 'us' && position !== undefined && position < dataset.visibleCount(now())) return position;
    sendPanError(ctx.res, 404, 'not_found', `incident ${JSON.stringify(id)} not found in region ${region.value}`);
    return undefined;
  };
  // An unreadable answer is drained by clients that expect none, so the quirk changes nothing for them.
  const ok = (ctx: RequestContext) =>
    quirks.unreadableWriteAnswers
      ? sendText(ctx.res, 200, '{"success": tru', 'application/json')
      : sendJson(ctx.res, 200, { success: true });

  const list: Handler = ({ res, url }) => {
    const parsed = parsePublishedListQuery(url.searchParams);
    if (!parsed.ok) return sendPanError(res, 400, 'bad_request', parsed.message);
    const q = parsed.value;
    let positions: number[] = [];
    if (q.region === 'us') {
      const selection = index.select({ offset: 0, limit: 0, startMs: q.startMs, endMs: q.endMs }, now());
      positions = selection.slice(0, selection.total);
      if (q.channel) positions = positions.filter((p) => publishedChannelOf(dataset.incident(p)) === q.channel);
      if (!q.ascending) positions.reverse();
    }
    const from = (q.page - 1) * q.size;
    sendJson(res, 200, {
      page: {
        number: q.page,
        size: q.size,
        total_elements: positions.length,
        total_pages: Math.ceil(positions.length / q.size),
      },
      resources: positions.slice(from, from + q.size).map((p) => listEntry(dataset, p)),
    });
  };

  const get: Handler = (ctx) => {
    const position = located(ctx);
    if (position === undefined) return;
    const answered = quirks.getAnswersAnother ? anotherPosition(position, dataset.visibleCount(now())) : position;
    sendJson(ctx.res, 200, detail(dataset, state, answered));
  };

  const assign: Handler = async (ctx) => {
    const position = located(ctx);
    if (position === undefined) return;
    const body = await readJsonString(ctx.req, 200);
    if (!body.ok) return sendPanError(ctx.res, 400, 'bad_request', body.message);
    if (!state.isAssignee(body.value)) return sendPanError(ctx.res, 400, 'bad_request', 'unknown assignee id');
    state.assign(position, body.value);
    ok(ctx);
  };

  const putNotes: Handler = async (ctx) => {
    const position = located(ctx);
    if (position === undefined) return;
    const body = await readJsonString(ctx.req, MAX_NOTES);
    if (!body.ok) return sendPanError(ctx.res, 400, 'bad_request', body.message);
    dataset.update(position, { reviewer_comments: body.value }, now());
    ok(ctx);
  };

  const deleteNotes: Handler = (ctx) => {
    const position = located(ctx);
    if (position === undefined) return;
    dataset.update(position, { reviewer_comments: '' }, now());
    ok(ctx);
  };

  const putResolution: Handler = async (ctx) => {
    const position = located(ctx);
    if (position === undefined) return;
    const body = await readJsonString(ctx.req, 200);
    if (!body.ok) return sendPanError(ctx.res, 400, 'bad_request', body.message);
    state.setResolution(position, body.value, now());
    ok(ctx);
  };

  const feedback: Handler = async (ctx) => {
    const type = ctx.url.searchParams.get('feedback_type');
    if (!FEEDBACK_TYPES.includes(type as FeedbackType)) {
      return sendPanError(ctx.res, 400, 'bad_request', `feedback_type must be one of ${FEEDBACK_TYPES.join(', ')}`);
    }
    const position = located(ctx);
    if (position === undefined) return;
    const body = await readJsonObject(ctx.req);
    if (typeof body === 'string') return sendPanError(ctx.res, 400, 'bad_request', body);
    for (const key of ['user_id', 'report_id', 'service_name']) {
      if (typeof body[key] !== 'string' || body[key] === '') {
        return sendPanError(ctx.res, 400, 'bad_request', `${key} is required`);
      }
    }
    if (body.report_id !== reportIdOf(position)) {
      return sendPanError(ctx.res, 400, 'bad_request', 'report_id does not belong to this incident');
    }
    state.setFeedback(position, type as FeedbackType, now());
    ok(ctx);
  };

  const getReport: Handler = ({ res, url, params }) => {
    const position = positionOfReport(params.reportId ?? '');
    if (position === undefined || position >= dataset.visibleCount(now())) {
      return sendPanError(res, 404, 'not_found', `report ${JSON.stringify(params.reportId)} not found`);
    }
    const fetch = url.searchParams.get('fetchSnippets');
    if (fetch !== null && fetch !== 'true' && fetch !== 'false') {
      return sendPanError(res, 400, 'bad_request', 'fetchSnippets must be true or false');
    }
    sendJson(res, 200, report(dataset, position, fetch === 'true'));
  };

  const assignees: Handler = ({ res }) => sendJson(res, 200, state.assignees);

  return { list, get, assign, putNotes, deleteNotes, putResolution, feedback, getReport, assignees };
}

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

async function readJson(req: IncomingMessage, maxBytes: number): Promise<Read<unknown>> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return { ok: false, message: 'Content-Type must be application/json' };
  }
  const text = await readBody(req, maxBytes);
  if (text === undefined) return { ok: false, message: 'request body too large' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: 'request body is not valid JSON' };
  }
}

/** The v1 PUTs' body: a JSON string (`"…"`), as the spec types it. */
async function readJsonString(req: IncomingMessage, maxChars: number): Promise<Read<string>> {
  const body = await readJson(req, maxChars * 4 + 16);
  if (!body.ok) return body;
  if (typeof body.value !== 'string') return { ok: false, message: 'request body must be a JSON string' };
  if (body.value.length > maxChars)
    return { ok: false, message: `request body must be at most ${maxChars} characters` };
  return { ok: true, value: body.value };
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown> | string> {
  const body = await readJson(req, 16_384);
  if (!body.ok) return body.message;
  const value = body.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : 'request body must be a JSON object';
}
