/**
 * The clicker of the `clicks` benchmark, in a worker thread: its own event loop, so the fake Slack and the
 * simulator (busy on the main thread answering the bot's calls right after each ack) cannot delay the moment a
 * response is read. It signs each body as Slack does, sends them at most `concurrency` at a time, and reports
 * each click's send time (epoch ms, sub-ms precision) and its time to the fully read response.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { SLACK_FORM_CONTENT_TYPE, signSlackRequest } from '../test/support/fake-slack/requests.js';

export interface SenderInput {
  eventsUrl: string;
  signingSecret: string;
  /** Form-encoded `payload=<json>` bodies, one per click. */
  bodies: string[];
  concurrency: number;
  /** Fetched once before the clicks (not the bot), so fetch's own lazy start-up is not charged to the first click. */
  warmUpUrl: string;
}

export interface SentClick {
  /** `performance.timeOrigin + performance.now()` when fetch was called: comparable across threads. */
  sentAtEpochMs: number;
  ackMs: number;
  /** HTTP status, or -1 when the request failed without one. */
  status: number;
}

/** Epoch milliseconds with performance.now()'s precision. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

async function send(input: SenderInput): Promise<SentClick[]> {
  await fetch(input.warmUpUrl).then(
    (res) => res.arrayBuffer(),
    () => undefined,
  );
  const results: SentClick[] = new Array(input.bodies.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < input.bodies.length; i = next++) {
      const body = input.bodies[i] as string;
      const headers = { ...signSlackRequest(input.signingSecret, body, undefined, SLACK_FORM_CONTENT_TYPE) };
      const started = performance.now();
      let status = -1;
      try {
        const res = await fetch(input.eventsUrl, { method: 'POST', headers, body });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // status stays -1
      }
      results[i] = { sentAtEpochMs: performance.timeOrigin + started, ackMs: performance.now() - started, status };
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, input.bodies.length) }, worker));
  return results;
}

if (parentPort) {
  const port = parentPort;
  send(workerData as SenderInput).then(
    (results) => port.postMessage({ ok: true, results }),
    (error: unknown) =>
      port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}
