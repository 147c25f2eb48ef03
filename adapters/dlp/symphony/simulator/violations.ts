import type { ServerResponse } from 'node:http';
import { sendJson } from '../../simulator-kit/respond.js';
import type { ViolationKind } from '../schema.js';
import type { SymphonyDataset } from './dataset.js';
import { buildItem, type CoreFields } from './records.js';

export interface SymphonyQuirks {
  /** What `nextOffset` is on the last page: "" as in Symphony's samples (default) or null as the spec says. */
  lastOffset?: 'empty' | 'null';
  /** Every Nth violation (by position) is served broken: no enforcementEventID and a non-numeric createTime. */
  malformedEvery?: number;
  /** The page after a cursor starts AT the violation it names (served twice), as a server off by one would. */
  inclusiveCursor?: boolean;
  /** Served as the enforcementEventID of the first violations (by position) instead of theirs (id tests). */
  replaceIds?: readonly string[];
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export const sendError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { code: status, message }, headers);

const epochParam = (value: string | null) => (value !== null && /^\d{1,15}$/.test(value) ? Number(value) : null);

/** The item as served, broken on purpose when the malformed knob says so. */
export function servedItem(dataset: SymphonyDataset, core: CoreFields, quirks: SymphonyQuirks) {
  const built = buildItem(dataset.seed, core);
  const replaced = quirks.replaceIds?.[core.position];
  const item =
    replaced === undefined
      ? built
      : { ...built, violation: { ...(built.violation as Record<string, unknown>), enforcementEventID: replaced } };
  const every = quirks.malformedEvery;
  if (every && core.position % every === every - 1) {
    const { enforcementEventID: _dropped, ...rest } = item.violation as Record<string, unknown>;
    return { ...item, violation: { ...rest, createTime: 'soon' } };
  }
  return item;
}

/**
 * `GET /agent/v3/dlp/violations/{kind}` (reference §3.3): `startTime` required (epoch ms), `endTime` defaults to now,
 * `limit` defaults to 50 and may not exceed 500, `next` is the previous page's `nextOffset`
 * (`<createTime>.<enforcementEventID>`). Nothing in range is a bodiless 204.
 */
export function answerViolations(
  res: ServerResponse,
  url: URL,
  kind: ViolationKind,
  dataset: SymphonyDataset,
  nowMs: number,
  quirks: SymphonyQuirks,
) {
  const q = url.searchParams;
  const startMs = epochParam(q.get('startTime'));
  if (startMs === null) return sendError(res, 400, 'startTime is required (epoch milliseconds)');
  const endRaw = q.get('endTime');
  const endMs = endRaw === null || endRaw === '' ? nowMs : epochParam(endRaw);
  if (endMs === null) return sendError(res, 400, 'endTime must be epoch milliseconds');
  if (endMs < startMs) return sendError(res, 400, 'endTime is before startTime');
  const limitRaw = q.get('limit');
  const limit = limitRaw === null || limitRaw === '' ? DEFAULT_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return sendError(res, 400, `limit must be an integer within 1..${MAX_LIMIT}`);
  }
  const next = q.get('next');
  let after: CoreFields | undefined;
  if (next) {
    const dot = next.indexOf('.');
    after = dot > 0 ? dataset.byId(next.slice(dot + 1)) : undefined;
    if (!after || after.kind !== kind || String(after.createMs) !== next.slice(0, dot)) {
      return sendError(res, 400, 'next is not an offset this endpoint handed out');
    }
  }
  const window = { startMs, endMs: Math.min(endMs, nowMs) };
  const page =
    after && quirks.inclusiveCursor
      ? dataset.page(kind, { ...window, startMs: after.createMs }, undefined, limit)
      : dataset.page(kind, window, after, limit);
  if (page.items.length === 0) {
    res.writeHead(204);
    res.end();
    return;
  }
  const last = page.items[page.items.length - 1] as CoreFields;
  const finalOffset = quirks.lastOffset === 'null' ? null : '';
  sendJson(res, 200, {
    violations: page.items.map((core) => servedItem(dataset, core, quirks)),
    nextOffset: page.more ? `${last.createMs}.${last.id}` : finalOffset,
  });
}
