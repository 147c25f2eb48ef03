import { afterEach, describe, expect, it } from 'vitest';
import { askServeToScan, serveControlRequests } from '../../../src/app/control.js';
import type { Ticker } from '../../../src/app/instance-lock.js';
import { silentLogger } from '../../../src/log.js';
import type { ScanSummary } from '../../../src/scan/run-scan.js';
import { type LockHolder, openStore, type Store } from '../../../src/store/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

const clock = fixedClock('2026-03-02T08:00:00Z');
const SERVE: LockHolder = {
  holder: 'serve-1',
  command: 'serve',
  pid: 100,
  host: 'bot-1',
  startedAt: clock.now(),
  heartbeatAt: clock.now(),
};
const SUMMARY: ScanSummary = {
  scanId: 'scan-1',
  at: clock.now(),
  sources: [
    {
      source: 'pan',
      ok: true,
      mode: 'full',
      error: null,
      degraded: null,
      missing: 0,
      durationMs: 5,
      fetched: 3,
      skipped: 0,
      intents: 1,
      incidents: 3,
      dueSoon: 0,
      breached: 1,
      escalated: 0,
      writtenBack: 0,
    },
  ],
  totals: {
    sources: 1,
    failed: 0,
    degraded: 0,
    missing: 0,
    fetched: 3,
    skipped: 0,
    intents: 1,
    incidents: 3,
    dueSoon: 0,
    breached: 1,
    escalated: 0,
    writtenBack: 0,
  },
};

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Serve's side on a ticker the asker's waits fire: each wait is one poll of serve, no wall clock involved. */
function setup(scan: (full: boolean) => Promise<ScanSummary>) {
  const store = openStore(':memory:');
  stores.push(store);
  let tick: () => void = () => {};
  const ticker: Ticker = {
    every(_ms, fn) {
      tick = fn;
      return () => {
        tick = () => {};
      };
    },
  };
  const server = serveControlRequests({ store, holder: SERVE.holder, clock, logger: silentLogger, ticker, scan });
  const wait = async () => {
    tick();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { store, server, wait };
}

describe('one-shot requests to the running serve', () => {
  it("should run the scan asked for in serve and hand back serve's summary", async () => {
    const asked: boolean[] = [];
    const { store, wait } = setup(async (full) => {
      asked.push(full);
      return SUMMARY;
    });

    const answer = await askServeToScan({
      store,
      clock,
      serve: SERVE,
      full: true,
      requester: 'pid 7 on host bot-1',
      stillHeld: () => true,
      wait,
    });

    expect(answer).toEqual({ kind: 'scanned', summary: SUMMARY });
    expect(asked).toEqual([true]);
    expect(store.controlRequests.get(1)).toMatchObject({ state: 'done', takenBy: 'serve-1' });
  });

  it("should pass serve's failure on to the asker", async () => {
    const { store, wait } = setup(async () => {
      throw new Error('pan did not finish; see the log');
    });
    const asking = askServeToScan({
      store,
      clock,
      serve: SERVE,
      full: false,
      requester: 'me',
      stillHeld: () => true,
      wait,
    });
    await expect(asking).rejects.toThrow('the running dlp-bot serve could not scan: pan did not finish; see the log');
  });

  it('should withdraw the request and say so when serve goes away before answering', async () => {
    const { store, server } = setup(async () => SUMMARY);
    await server.stop();
    let polls = 0;

    const answer = await askServeToScan({
      store,
      clock,
      serve: SERVE,
      full: false,
      requester: 'me',
      stillHeld: () => polls < 3,
      wait: async () => {
        polls += 1;
      },
    });

    expect(answer).toEqual({ kind: 'gone' });
    expect(store.controlRequests.get(1)?.state).toBe('cancelled');
    // A withdrawn request is never taken up by a later serve.
    expect(store.controlRequests.take('serve-2')).toBeNull();
  });
});
