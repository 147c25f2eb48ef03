import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReplacedIds } from '../../simulator-kit/id-quirks.js';
import { hashSeed } from '../../simulator-kit/prng.js';
import { readBody, sendJson, sendText } from '../../simulator-kit/respond.js';
import type { ZwaDataset } from './dataset.js';
import { buildRecord, buildTriggers, type ZwaIncidentRecord } from './records.js';
import { createSearchEngine, parseCriteria, parseQuery } from './search.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  nowMs: number;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface ZscalerQuirks {
  /** This share (0..1) of served records is broken, the same records on every read. */
  malformedRecordShare?: number;
  /** A broken server: every search answers page 0, whatever page is asked for (the listing cannot progress). */
  ignorePage?: boolean;
  /** Served instead of the generated ids of the first open incidents, which are then found by them (id tests). */
  replaceIds?: readonly string[];
  /** A read of one incident answers with the next one instead: a lookup that names another id. */
  getAnswersAnother?: boolean;
  /** Writes are applied, then answered with a body that fails the API's schema (cut-off JSON). */
  unreadableWriteAnswers?: boolean;
  /** Writes are applied, then answered 500 (a gateway failing after the server acted). */
  failAfterWrites?: boolean;
}

const MAX_BODY = 1_048_576;
const MAX_NOTE = 10_000;
const MALFORM_SALT = 0xbad;

export const sendError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { internalMessage: message }, headers);

async function readJson(req: IncomingMessage): Promise<{ body: unknown } | { status: number; message: string }> {
  const text = await readBody(req, MAX_BODY);
  if (text === undefined) return { status: 400, message: 'request body too large' };
  try {
    return { body: text === '' ? {} : JSON.parse(text) };
  } catch {
    return { status: 400, message: 'request body is not valid JSON' };
  }
}

/** The breakages a client must survive; the last one is in a field the adapter never reads. */
const BREAKAGES: readonly ((r: Record<string, unknown>) => void)[] = [
  (r) => {
    delete r.internalId;
  },
  (r) => {
    r.severity = 'SEVERE';
  },
  (r) => {
    r.createdAt = 'yesterday';
  },
  (r) => {
    r.integrationType = 42;
  },
];

/** Which breakage a malformed record gets; the last one leaves the record readable by the adapter. */
export const breakageOf = (seed: number, position: number) => hashSeed(position, seed) % BREAKAGES.length;
export const HARMLESS_BREAKAGE = BREAKAGES.length - 1;

export function isMalformed(seed: number, position: number, share: number): boolean {
  return share > 0 && hashSeed(seed, position, MALFORM_SALT) / 4294967296 < share;
}

/** What a search asked for, as received (for tests of paging and time ranges). */
export interface SearchSeen {
  page: string | null;
  pageSize: string | null;
  pageId: string | null;
  body: unknown;
}
const MAX_SEARCHES_KEPT = 1_000;

export function createHandlers(
  dataset: ZwaDataset,
  quirks: ZscalerQuirks,
  knownLabels: readonly string[],
  ids: ReplacedIds,
) {
  const search = createSearchEngine(dataset);
  const searches: SearchSeen[] = [];
  const record = (position: number): ZwaIncidentRecord => {
    const built = buildRecord(dataset.seed, position, dataset.row(position));
    const replaced = ids.at(position);
    return replaced === undefined ? built : { ...built, internalId: replaced };
  };
  const positionOf = (id: string, nowMs: number) => ids.positionOf(id) ?? ids.generated(dataset.positionOf(id, nowMs));
  /** A write's answer: the incident as it now is, unless a quirk cuts it off or fails it after the fact. */
  const written = (res: ServerResponse, position: number) => {
    if (quirks.failAfterWrites) return sendError(res, 500, 'Internal server error');
    if (quirks.unreadableWriteAnswers) {
      return sendText(res, 200, JSON.stringify(record(position)).slice(0, 20), 'application/json');
    }
    sendJson(res, 200, record(position));
  };
  const served = (position: number): unknown => {
    const full = record(position);
    if (!isMalformed(dataset.seed, position, quirks.malformedRecordShare ?? 0)) return full;
    const broken: Record<string, unknown> = { ...full };
    BREAKAGES[breakageOf(dataset.seed, position)]?.(broken);
    return broken;
  };

  /** Runs `then` with the incident's position, or answers 404 like the API. */
  const withIncident = (ctx: RequestContext, then: (position: number) => Promise<void> | void) => {
    const position = positionOf(ctx.params.id ?? '', ctx.nowMs);
    if (position === undefined) return sendError(ctx.res, 404, 'Resource does not exist');
    return then(position);
  };
  /** As `withIncident`, with the request's JSON body read (400 when it is not JSON). */
  const withIncidentBody = (ctx: RequestContext, then: (position: number, body: Record<string, unknown>) => void) =>
    withIncident(ctx, async (position) => {
      const read = await readJson(ctx.req);
      if ('status' in read) return sendError(ctx.res, read.status, read.message);
      const body = typeof read.body === 'object' && read.body !== null ? (read.body as Record<string, unknown>) : {};
      then(position, body);
    });

  const handlers: Record<'search' | 'get' | 'notes' | 'labels' | 'close' | 'triggers' | 'evidence', Handler> = {
    async search({ req, res, url, nowMs }) {
      const query = parseQuery(url.searchParams);
      if (!query.ok) return sendError(res, 400, query.message);
      const read = await readJson(req);
      if ('status' in read) return sendError(res, read.status, read.message);
      if (searches.length >= MAX_SEARCHES_KEPT) searches.shift();
      const param = (name: string) => url.searchParams.get(name);
      searches.push({ page: param('page'), pageSize: param('pageSize'), pageId: param('pageId'), body: read.body });
      const criteria = parseCriteria(read.body);
      if (!criteria.ok) return sendError(res, 400, criteria.message);
      const asked = quirks.ignorePage ? { ...query.value, page: 0 } : query.value;
      const page = search.page(asked, criteria.value, nowMs);
      if (!page.ok) return sendError(res, 400, page.message);
      sendJson(res, 200, { cursor: page.value.cursor, incidents: page.value.positions.map(served) });
    },
    get: (ctx) =>
      withIncident(ctx, (p) => {
        const answered = quirks.getAnswersAnother ? (p + 1 < dataset.size() ? p + 1 : p - 1) : p;
        sendJson(ctx.res, 200, served(answered));
      }),
    notes: (ctx) =>
      withIncidentBody(ctx, (p, body) => {
        const notes = body.notes;
        if (typeof notes !== 'string' || notes.trim() === '' || notes.length > MAX_NOTE) {
          return sendError(ctx.res, 400, `notes must be a non-empty string of at most ${MAX_NOTE} characters`);
        }
        const row = dataset.row(p);
        row.notes.push({ body: notes, createdMs: ctx.nowMs });
        row.updatedMs = Math.max(row.updatedMs, ctx.nowMs);
        written(ctx.res, p);
      }),
    labels: (ctx) =>
      withIncidentBody(ctx, (p, body) => {
        const labels = body.labels;
        const valid =
          Array.isArray(labels) &&
          labels.length > 0 &&
          labels.every((l) => typeof l?.key === 'string' && typeof l?.value === 'string' && l.value !== '');
        if (!valid) return sendError(ctx.res, 400, 'labels must be a non-empty array of {key, value} strings');
        const unknown = labels.find((l) => !knownLabels.includes(l.key));
        // Labels must exist in Setup > Labels before the API can set them (§1.6).
        if (unknown) return sendError(ctx.res, 400, `label ${JSON.stringify(unknown.key)} is not defined`);
        const row = dataset.row(p);
        for (const { key, value } of labels as { key: string; value: string }[]) {
          row.labels = [...row.labels.filter((l) => l.key !== key), { key, value }];
        }
        row.updatedMs = Math.max(row.updatedMs, ctx.nowMs);
        written(ctx.res, p);
      }),
    close: (ctx) =>
      withIncidentBody(ctx, (p, body) => {
        const { resolutionCode, notes } = body;
        if (resolutionCode !== undefined && resolutionCode !== 'FALSE_POSITIVE') {
          return sendError(ctx.res, 400, 'resolutionCode supports FALSE_POSITIVE only');
        }
        if (notes !== undefined && (typeof notes !== 'string' || notes.length > MAX_NOTE)) {
          return sendError(ctx.res, 400, `notes must be a string of at most ${MAX_NOTE} characters`);
        }
        const row = dataset.row(p);
        row.status = 'RESOLVED';
        row.resolution = resolutionCode ?? null;
        if (typeof notes === 'string' && notes.trim() !== '') row.notes.push({ body: notes, createdMs: ctx.nowMs });
        row.updatedMs = Math.max(row.updatedMs, ctx.nowMs);
        written(ctx.res, p);
      }),
    triggers: (ctx) => withIncident(ctx, (p) => sendJson(ctx.res, 200, buildTriggers(dataset.seed, p))),
    evidence: (ctx) =>
      withIncident(ctx, (p) => {
        const txn = String(record(p).transactionId);
        sendJson(ctx.res, 200, {
          fileName: `evidence-${txn}.xml`,
          fileType: 'xml',
          additionalInfo: '',
          evidenceURL: `https://zwa-sim-evidence.example.invalid/${txn}.xml?X-Amz-Signature=sim`,
        });
      }),
  };
  return { handlers, record, positionOf, searches: () => [...searches] };
}
