import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { SlaConfig } from '../../../src/domain/sla-config.js';
import { createLogger } from '../../../src/log.js';
import { runScan } from '../../../src/scan/run-scan.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createFakeSource, fakeIncident } from '../../support/fake-source.js';
import { fixedClock } from '../../support/fixed-clock.js';

const T0 = new Date('2026-03-02T08:00:00Z');
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** Scans five incidents in pages of two; the virtual clock moves `msPerPage` with every page listed. */
async function scanWithLog(progressLogEveryMs?: number, msPerPage = 0) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const store = openStore(':memory:');
  stores.push(store);
  const clock = fixedClock(T0);
  const incidents = Array.from({ length: 5 }, (_, i) => fakeIncident('zwa', `INC-${i}`, { createdAt: T0 }));
  await runScan(
    {
      store,
      sources: [createFakeSource({ id: 'zwa', incidents, pageSize: 2 })],
      policy: createSlaPolicy(SlaConfig.parse({}), []),
      logger: createLogger({ level: 'info', format: 'json', destination }),
      clock,
      onProgress: () => clock.advance(msPerPage),
      options: {
        fullResyncEvery: 4,
        overlapMinutes: 10,
        ...(progressLogEveryMs === undefined ? {} : { progressLogEveryMs }),
      },
    },
    new Date(T0.getTime() + 60_000),
  );
  return lines.filter((l) => l.msg === 'scan in progress');
}

describe('scanSource progress log', () => {
  it("should log how far a long listing has got, with the vendor's expected total", async () => {
    const progress = await scanWithLog(0);
    expect(progress.map((l) => [l.source, l.fetched, l.expectedTotal, l.mode])).toEqual([
      ['zwa', 2, 5, 'full'],
      ['zwa', 4, 5, 'full'],
      ['zwa', 5, 5, 'full'],
    ]);
  });

  it('should stay quiet for a listing that finishes within the interval', async () => {
    expect(await scanWithLog()).toEqual([]);
    expect(await scanWithLog(30_000, 5_000)).toEqual([]);
  });

  it("should pace the log by the app's clock: once per interval of that clock, not of the machine", async () => {
    // Pages are listed at +20 s, +40 s and +60 s: only the second is 30 s past the start or the last line.
    const progress = await scanWithLog(30_000, 20_000);
    expect(progress.map((l) => [l.fetched, l.expectedTotal])).toEqual([[4, 5]]);
    // With the default interval (30 s) and a minute per page, every page is a line.
    const slow = await scanWithLog(undefined, 60_000);
    expect(slow.map((l) => l.fetched)).toEqual([2, 4, 5]);
  });
});
