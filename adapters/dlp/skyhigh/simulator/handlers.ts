import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import { readBody } from '../../simulator-kit/respond.js';
import type { SkyhighDataset } from '../dataset.js';
import { STATUSES } from './catalog.js';
import { type Criteria, matchesCore, matchesRecord, needsRecord, parseCriteria, parseLimit } from './query.js';
import { informationAsList, isMalformed, malform, type SkyhighQuirks } from './quirks.js';
import { iso, type ShnIncidentRecord } from './records.js';
import { type Envelope, responseInfo } from './respond.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

const MAX_BODY = 1_048_576;
const MAX_CHANGES = 1_000;
const MAX_SPELLINGS_KEPT = 1_000;

/** Reads a JSON body; a string is the 4xx answer's status and message. */
async function readJson(req: IncomingMessage): Promise<{ body: unknown } | { status: number; message: string }> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return { status: 415, message: 'Content-Type must be application/json' };
  }
  const text = await readBody(req, MAX_BODY);
  if (text === undefined) return { status: 413, message: 'request body too large' };
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { status: 400, message: 'request body is not valid JSON' };
  }
}

/** `FALSE_POSITIVE`, `false positive`, `False_Positive`…: which of them count depends on the statusSpelling quirk. */
export function parseWorkflowStatus(raw: unknown, spelling: SkyhighQuirks['statusSpelling']): number | undefined {
  if (typeof raw !== 'string') return undefined;
  if (spelling === 'upper' && !/^[A-Z]+(_[A-Z]+)*$/.test(raw)) return undefined;
  if (spelling === 'label' && !/^[a-z]+( [a-z]+)*$/.test(raw)) return undefined;
  const index = (STATUSES as readonly string[]).indexOf(
    raw
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, ' '),
  );
  return index < 0 ? undefined : index;
}

export interface Handlers {
  query: Handler;
  modify: Handler;
  /** Every WORKFLOW_STATUS value received, valid or not, oldest first. */
  spellings(): readonly string[];
}

export function createHandlers(
  dataset: SkyhighDataset,
  clock: Clock,
  quirks: SkyhighQuirks,
  envelope: Envelope,
  maxLimit: number,
): Handlers {
  const now = () => clock.now().getTime();
  const spellings: string[] = [];

  const serve = (position: number, record: ShnIncidentRecord): unknown => {
    const share = quirks.malformedRecordShare ?? 0;
    if (isMalformed(dataset.seed, position, share)) return malform(dataset.seed, position, record);
    return quirks.informationAsList ? informationAsList(record) : record;
  };

  const select = (criteria: Criteria, limit: number, nowMs: number) => {
    const from = quirks.startTimeIgnored ? Number.NEGATIVE_INFINITY : criteria.startMs;
    const walk = criteria.byCreated ? dataset.walkCreated(from) : dataset.walkModified(from);
    const picked: { position: number; at: number; record: ShnIncidentRecord }[] = [];
    for (const position of walk) {
      const core = dataset.core(position);
      const at = criteria.byCreated ? core.createdMs : core.modifiedMs;
      if (at >= criteria.endMs) break;
      if (core.createdMs > nowMs || !matchesCore(core, criteria)) continue;
      const record = dataset.incident(position);
      if (needsRecord(criteria) && !matchesRecord(record, criteria)) continue;
      picked.push({ position, at, record });
      if (picked.length >= limit) break;
    }
    return picked;
  };

  return {
    async query({ req, res, url }) {
      const limit = parseLimit(url.searchParams, maxLimit);
      if (!limit.ok) return envelope.error(res, 400, limit.message, { target: limit.target, kind: 'query' });
      const read = await readJson(req);
      if ('status' in read) return envelope.error(res, read.status, read.message, { kind: 'query' });
      const nowMs = now();
      const criteria = parseCriteria(read.body, nowMs);
      if (!criteria.ok) return envelope.error(res, 400, criteria.message, { target: criteria.target, kind: 'query' });
      const picked = select(criteria.value, limit.value, nowMs);
      if (picked.length === 0 && quirks.notFoundWhenEmpty) {
        return envelope.error(res, 404, 'No data found for the given criteria', { kind: 'query' });
      }
      const last = picked.at(-1);
      const body = {
        responseInfo: responseInfo({
          actualLimit: picked.length,
          // The last returned item's time plus 1 ms, as in XSOAR's recorded response.
          nextStartTime: last ? iso(last.at + 1) : null,
        }),
        incidents: picked.map((p) => serve(p.position, p.record)),
      };
      if (quirks.invalidJson) return envelope.truncated(res, body);
      envelope.send(res, 200, body);
    },
    async modify({ req, res }) {
      const read = await readJson(req);
      if ('status' in read) return envelope.error(res, read.status, read.message);
      const changes = parseChanges(read.body, quirks.statusSpelling, spellings);
      if (!Array.isArray(changes)) {
        return envelope.error(res, 400, changes.message, { target: changes.target });
      }
      const nowMs = now();
      let processed = 0;
      const missing: string[] = [];
      for (const { incidentId, status } of changes) {
        const position = dataset.positionOf(incidentId);
        if (position === undefined || dataset.core(position).createdMs > nowMs) {
          missing.push(incidentId);
          continue;
        }
        dataset.setStatus(position, status, nowMs);
        processed += 1;
      }
      const error = missing.length
        ? { code: 404, message: `${missing.length} incident(s) not found`, target: 'incidentId', details: [] }
        : null;
      const answer = responseInfo({ actualLimit: processed, error });
      if (quirks.unreadableWriteAnswers) return envelope.truncated(res, answer);
      envelope.send(res, 200, answer);
    },
    spellings: () => spellings,
  };
}

type Change = { incidentId: string; status: number };

function parseChanges(
  body: unknown,
  spelling: SkyhighQuirks['statusSpelling'],
  seen: string[],
): Change[] | { message: string; target: string } {
  if (!Array.isArray(body) || body.length === 0) {
    return { message: 'the body must be a non-empty array of change requests', target: 'body' };
  }
  if (body.length > MAX_CHANGES) return { message: `at most ${MAX_CHANGES} changes per request`, target: 'body' };
  const changes: Change[] = [];
  for (const [i, item] of body.entries()) {
    const { incidentId, changeRequests } = (item ?? {}) as Record<string, unknown>;
    if (typeof incidentId !== 'string' || incidentId === '') {
      return { message: 'every change needs an incidentId', target: `[${i}].incidentId` };
    }
    if (typeof changeRequests !== 'object' || changeRequests === null || Array.isArray(changeRequests)) {
      return { message: 'changeRequests must be an object', target: `[${i}].changeRequests` };
    }
    const keys = Object.keys(changeRequests);
    const other = keys.find((key) => key !== 'WORKFLOW_STATUS');
    if (other !== undefined || keys.length === 0) {
      return { message: 'Invalid field: only WORKFLOW_STATUS can be changed', target: `changeRequests.${other ?? ''}` };
    }
    const raw = (changeRequests as Record<string, unknown>).WORKFLOW_STATUS;
    if (seen.length < MAX_SPELLINGS_KEPT) seen.push(String(raw));
    const status = parseWorkflowStatus(raw, spelling);
    if (status === undefined) return { message: 'Invalid field value', target: 'WORKFLOW_STATUS' };
    changes.push({ incidentId, status });
  }
  return changes;
}
