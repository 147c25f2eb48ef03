import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { Clock } from '../ports/index.js';
import type { ScanSummary } from '../scan/run-scan.js';
import type { LockHolder, Store } from '../store/index.js';
import type { Ticker } from './instance-lock.js';

// A one-shot command talks to the running serve through request rows in the store it already shares: this works in
// Socket Mode and in HTTP mode alike and opens no port.

/** How often serve looks for requests, and an asker for the answer. */
export const CONTROL_POLL_MS = 250;

const ScanArgs = z.object({ full: z.boolean() });

/** The counts a source's summary and the totals share; `missing` defaults so an older serve still answers. */
const COUNTS = {
  missing: z.number().default(0),
  fetched: z.number(),
  skipped: z.number(),
  intents: z.number(),
  incidents: z.number(),
  dueSoon: z.number(),
  breached: z.number(),
  escalated: z.number(),
  writtenBack: z.number(),
};

const SourceSummary = z.object({
  source: z.string(),
  ok: z.boolean(),
  mode: z.enum(['full', 'incremental']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  // Defaults: a serve started before these fields existed still answers.
  degraded: z.string().nullable().default(null),
  durationMs: z.number(),
  ...COUNTS,
});

/** A scan summary as serve stored it: parsed at this boundary like any other input. */
const StoredScanSummary = z.object({
  scanId: z.string(),
  at: z.iso.datetime().transform((at) => new Date(at)),
  sources: z.array(SourceSummary),
  totals: z.object({ sources: z.number(), failed: z.number(), degraded: z.number().default(0), ...COUNTS }),
});
const Failure = z.object({ error: z.string() });

export interface ControlServer {
  /** Stops looking for requests and waits for the one being answered. */
  stop(): Promise<void>;
}

/** Serve's side: answers scan requests one at a time, through the same runner its schedules use. */
export function serveControlRequests(deps: {
  store: Store;
  holder: string;
  clock: Clock;
  logger: Logger;
  ticker: Ticker;
  scan(full: boolean): Promise<ScanSummary>;
}): ControlServer {
  const { store, logger } = deps;
  let current: Promise<void> | null = null;
  const answer = async () => {
    const request = store.controlRequests.take(deps.holder);
    if (!request) return;
    logger.info({ requestId: request.id, requester: request.requester }, 'scan asked for by a one-shot command');
    try {
      const args = ScanArgs.parse(JSON.parse(request.args));
      const summary = await deps.scan(args.full);
      store.controlRequests.finish(request.id, 'done', JSON.stringify(summary), deps.clock.now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, requestId: request.id }, 'scan asked for by a one-shot command failed');
      store.controlRequests.finish(request.id, 'failed', JSON.stringify({ error: message }), deps.clock.now());
    }
  };
  const stopTicker = deps.ticker.every(CONTROL_POLL_MS, () => {
    if (current) return;
    current = answer()
      .catch((error: unknown) => logger.error({ err: error }, 'could not answer a one-shot command'))
      .finally(() => {
        current = null;
      });
  });
  return {
    async stop() {
      stopTicker();
      await current;
    },
  };
}

export type ServeAnswer = { kind: 'scanned'; summary: ScanSummary } | { kind: 'gone' };

/**
 * The one-shot side: asks the serve that holds the lock to scan and waits for its answer. Answers `gone` (and
 * withdraws the request) when that serve stops or dies first, so the caller can take the lock and scan itself.
 */
export async function askServeToScan(deps: {
  store: Store;
  clock: Clock;
  serve: LockHolder;
  full: boolean;
  requester: string;
  /** Whether `serve` still holds the lock (not released, not stale). */
  stillHeld(): boolean;
  wait?: (ms: number) => Promise<void>;
}): Promise<ServeAnswer> {
  const { store } = deps;
  const wait = deps.wait ?? ((ms: number) => delay(ms));
  const id = store.controlRequests.add('scan', JSON.stringify({ full: deps.full }), deps.requester, deps.clock.now());
  for (;;) {
    const request = store.controlRequests.get(id);
    if (request?.state === 'done' && request.result) {
      return { kind: 'scanned', summary: StoredScanSummary.parse(JSON.parse(request.result)) };
    }
    if (request?.state === 'failed') {
      const failure = Failure.safeParse(JSON.parse(request.result ?? '{}'));
      throw new Error(`the running dlp-bot serve could not scan: ${failure.data?.error ?? 'see its log'}`);
    }
    if (request?.state === 'cancelled') return { kind: 'gone' };
    if (deps.stillHeld()) await wait(CONTROL_POLL_MS);
    // Not withdrawn means serve finished it meanwhile: the next read has the answer.
    else if (store.controlRequests.cancel(id, deps.clock.now())) return { kind: 'gone' };
  }
}
