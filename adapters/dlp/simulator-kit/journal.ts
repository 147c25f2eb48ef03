import { type IncomingHttpHeaders, type IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { SimulatorJournal, SimulatorJournalEntry } from '../../../src/ports/index.js';
import type { PinnableClock } from './pinnable-clock.js';
import type { Route, RouteMatch, Router } from './router.js';

/** Bodies are kept up to this size; every simulator refuses larger ones, so a larger one is never journaled. */
const MAX_CAPTURED_BYTES = 1_048_576;

export interface DispatchContext<H> {
  route: Route<H>;
  params: Record<string, string>;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

/** A route's own work, after the gateway (faults, auth) let the request through. */
export type Dispatch<H> = (ctx: DispatchContext<H>) => Promise<void> | void;

export interface ReplayResult {
  replayed: number;
  /** Entries the simulator no longer accepts (unknown route, or a non-2xx answer); skipped. */
  refused: number;
}

export interface Journaling<H> {
  /** Dispatches a matched request; a mutating one with its time pinned, appended to the journal after a 2xx. */
  run(
    match: Extract<RouteMatch<H>, { kind: 'ok' }>,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void>;
  /** Replays the journal through the same dispatch (no faults, no auth), each entry at its own time. */
  replay(): Promise<ReplayResult>;
}

/**
 * Makes a simulator's triage state durable: mutating routes (`mutates: true`) are recorded as received and
 * replayed at the next start, before the server listens. Without a journal, requests are dispatched as before.
 */
export function createJournaling<H>(options: {
  router: Router<H>;
  clock: PinnableClock;
  journal: SimulatorJournal | undefined;
  dispatch: Dispatch<H>;
}): Journaling<H> {
  const { router, clock, journal, dispatch } = options;
  return {
    async run(match, req, res, url) {
      const ctx = { route: match.route, params: match.params, req, res, url };
      if (!journal || !match.route.mutates) return dispatch(ctx);
      const body = await captureBody(req);
      const at = clock.now().getTime();
      const replayable = replayableRequest(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      await clock.pinned(at, () => dispatch({ ...ctx, req: replayable }));
      if (!isSuccess(res.statusCode) || body.length > MAX_CAPTURED_BYTES) return;
      const contentType = req.headers['content-type'];
      journal.append({
        at,
        method: req.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        ...(contentType ? { contentType } : {}),
        body: body.toString('utf8'),
      });
    },
    async replay() {
      const result: ReplayResult = { replayed: 0, refused: 0 };
      for (const entry of journal?.entries() ?? []) {
        if (await replayEntry(router, clock, dispatch, entry)) result.replayed += 1;
        else result.refused += 1;
      }
      return result;
    },
  };
}

async function replayEntry<H>(
  router: Router<H>,
  clock: PinnableClock,
  dispatch: Dispatch<H>,
  entry: SimulatorJournalEntry,
): Promise<boolean> {
  const url = new URL(entry.path, 'http://127.0.0.1');
  const match = router.match(entry.method, url.pathname);
  if (match.kind !== 'ok' || !match.route.mutates) return false;
  const headers: IncomingHttpHeaders = entry.contentType ? { 'content-type': entry.contentType } : {};
  const req = replayableRequest(entry.method, entry.path, headers, Buffer.from(entry.body, 'utf8'));
  // A response with no socket: the handler writes into it as usual and the answer is only looked at, never sent.
  const res = new ServerResponse(req);
  try {
    await clock.pinned(entry.at, () => dispatch({ route: match.route, params: match.params, req, res, url }));
  } catch {
    return false;
  }
  return isSuccess(res.statusCode);
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/** The whole body, or its first MAX_CAPTURED_BYTES + 1 bytes when larger (so the handler still sees it as too large). */
export async function captureBody(req: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    if (size > MAX_CAPTURED_BYTES) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  const body = Buffer.concat(chunks);
  return body.length > MAX_CAPTURED_BYTES ? body.subarray(0, MAX_CAPTURED_BYTES + 1) : body;
}

/**
 * A request whose body can be read again: what handlers use of an IncomingMessage (method, url, headers, and the
 * body as an async iterable of Buffers, which `readBody` consumes) over a body already read.
 */
export function replayableRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): IncomingMessage {
  const stream = Readable.from(body.length > 0 ? [body] : []);
  return Object.assign(stream, { method, url, headers }) as unknown as IncomingMessage;
}
