import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/http/pacer.js';
import { captureLogger, fakeClock, reply, useLoopback } from './loopback.js';

const setup = useLoopback();

describe('createHttpClient pacing classes', () => {
  it('should pace each named class to its own limits, independently of the others', async () => {
    const arrivals: number[] = [];
    let now = () => Number.NaN;
    const { client, clock } = await setup(
      (res) => {
        arrivals.push(now());
        reply(200, {})(res);
      },
      { pacing: { search: { perMinute: 2 }, read: { perMinute: 3 } } },
    );
    now = clock.now;

    const send = (pacing: string) => client.request({ method: 'GET', path: `/${pacing}`, pacing, op: pacing });
    for (const pacing of ['search', 'search', 'read', 'read', 'read', 'search']) {
      expect((await send(pacing)).ok).toBe(true);
    }

    // Three reads fit their own minute; only the third search waits for the first one to leave the window.
    expect(arrivals).toEqual([0, 0, 0, 0, 0, 60_000]);
    expect(clock.waits).toEqual([60_000]);
  });

  it('should leave requests without a class to the client-wide http.requestsPerMinute', async () => {
    const { client, clock } = await setup(reply(200, {}), {
      http: { requestsPerMinute: 1 },
      pacing: { search: { perMinute: 1 } },
    });

    expect((await client.request({ method: 'GET', path: '/a', op: 'a' })).ok).toBe(true);
    expect((await client.request({ method: 'GET', path: '/s', pacing: 'search', op: 's' })).ok).toBe(true);
    expect(clock.waits).toEqual([]);
    expect((await client.request({ method: 'GET', path: '/b', op: 'b' })).ok).toBe(true);
    expect(clock.waits).toEqual([60_000]);
  });

  it('should hold a request naming several classes until each grants a slot: a sub-budget of a shared one', async () => {
    const { client, clock } = await setup(reply(200, {}), {
      pacing: { shared: { perMinute: 3 }, scans: { perMinute: 2 } },
    });
    const scan = () => client.request({ method: 'GET', path: '/s', pacing: ['scans', 'shared'], op: 'scan' });
    const click = () => client.request({ method: 'GET', path: '/c', pacing: 'shared', op: 'click' });

    expect((await scan()).ok).toBe(true);
    expect((await scan()).ok).toBe(true);
    // The scans' share is spent, the shared budget is not: a click still goes at once.
    expect((await click()).ok).toBe(true);
    expect(clock.waits).toEqual([]);
    expect((await scan()).ok).toBe(true);
    expect(clock.waits).toEqual([60_000]);
  });

  it('should refuse a class the client was not given', async () => {
    const { client, server } = await setup(reply(200, {}), { pacing: { search: { perMinute: 1 } } });
    await expect(client.request({ method: 'GET', path: '/x', pacing: 'serach', op: 'typo' })).rejects.toThrow(
      /no pacing class "serach"/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('should log a long wait for a slot at info, naming the class, so a slow scan says why', async () => {
    const { logger, lines } = captureLogger();
    const { client } = await setup(reply(200, {}), { logger, pacing: { search: { perMinute: 1 } } });

    await client.request({ method: 'POST', path: '/s', pacing: 'search', op: 'searchIncidents' });
    await client.request({ method: 'POST', path: '/s', pacing: 'search', op: 'searchIncidents' });

    const notices = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "waited for the vendor's rate limit");
    expect(notices).toEqual([
      expect.objectContaining({
        level: 30,
        source: 'src-a',
        op: 'searchIncidents',
        pacing: 'search',
        waitedMs: 60_000,
      }),
    ]);
  });

  it('should name the source once per line when the logger is already bound to it', async () => {
    const { logger, lines } = captureLogger();
    const { client } = await setup(reply(200, {}), {
      logger: logger.child({ source: 'src-a' }),
      pacing: { search: { perMinute: 1 } },
    });

    await client.request({ method: 'POST', path: '/s', pacing: 'search', op: 'searchIncidents' });
    await client.request({ method: 'POST', path: '/s', pacing: 'search', op: 'searchIncidents' });

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.match(/"source":/g)).toHaveLength(1);
  });
});

describe('createPacer marginMs', () => {
  it('should hold each send in its windows for the margin as well', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ perMinute: 1, perHour: 2, marginMs: 500, now: clock.now, sleep: clock.sleep });

    expect(await pacer.acquire()).toBe(0);
    expect(await pacer.acquire()).toBe(60_500);
    expect(await pacer.acquire()).toBe(3_600_500 - 60_500);
  });

  it('should reject a negative or fractional margin', () => {
    expect(() => createPacer({ perMinute: 1, marginMs: -1 })).toThrow(RangeError);
    expect(() => createPacer({ perMinute: 1, marginMs: 0.5 })).toThrow(RangeError);
  });
});
