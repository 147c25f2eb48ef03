import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { JobRequest } from '../jobs/runner.js';
import type { Clock } from '../ports/index.js';
import type { ScanSummary } from '../scan/run-scan.js';
import type { LockHolder } from '../store/index.js';
import { askServeToScan, CONTROL_POLL_MS } from './control.js';
import { describeHolder, isStale, pidAlive } from './instance-lock.js';
import type { Runtime } from './runtime.js';

export interface OneWriterScan {
  summary: ScanSummary;
  /** The running serve that scanned on this command's behalf; null when this process scanned itself. */
  scannedBy: LockHolder | null;
}

/**
 * A one-shot scan that never writes beside another process: it takes the store's instance lock and scans, or asks
 * the serve holding it to scan and reports that serve's answer, or waits for another one-shot scan to finish.
 * `say` tells the person why it waits.
 */
export async function scanAsTheOneWriter(
  runtime: Runtime,
  request: JobRequest,
  deps: { clock: Clock; say(line: string): void; wait?: (ms: number) => Promise<void> },
): Promise<OneWriterScan> {
  const wait = deps.wait ?? ((ms: number) => delay(ms));
  const store = runtime.store();
  const here = { host: hostname(), isAlive: pidAlive };
  const stillHeld = (holder: LockHolder) => () => {
    const current = store.instanceLock.current();
    return current?.holder === holder.holder && !isStale(current, { ...here, now: deps.clock.now() });
  };
  let waitingFor: string | null = null;
  for (;;) {
    const taken = runtime.lockStore('scan');
    if (taken.held) {
      // A source pointed at another endpoint must not scan on from the old one's watermark.
      await runtime.requireOrigins();
      return { summary: await (await runtime.bot()).scan(request), scannedBy: null };
    }
    const { holder } = taken;
    if (holder.command === 'serve') {
      deps.say(`${describeHolder(holder)} holds ${runtime.storeLabel}: asking it to scan, and waiting for its answer`);
      const answer = await askServeToScan({
        store,
        clock: deps.clock,
        serve: holder,
        full: request.full === true,
        requester: `pid ${process.pid} on host ${here.host}`,
        stillHeld: stillHeld(holder),
        wait,
      });
      if (answer.kind === 'scanned') return { summary: answer.summary, scannedBy: holder };
      deps.say(`${describeHolder(holder)} stopped before it answered; scanning here instead`);
      continue;
    }
    const line = `waiting for ${describeHolder(holder)} to finish with ${runtime.storeLabel}`;
    if (waitingFor !== line) deps.say(line);
    waitingFor = line;
    const held = stillHeld(holder);
    while (held()) await wait(CONTROL_POLL_MS);
  }
}
