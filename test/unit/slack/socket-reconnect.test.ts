import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepReconnecting, type SocketClient } from '../../../adapters/chat/slack/socket-reconnect.js';
import { silentLogger } from '../../../src/log.js';

/** A Socket Mode client whose start() does what the script says, one entry per call. */
function scriptedClient(script: ('connect' | 'fail' | 'hang')[]) {
  const events = new EventEmitter();
  const started: number[] = [];
  let disconnects = 0;
  let pending: (() => void) | undefined;
  const client = {
    on: (event: string, listener: (...args: unknown[]) => void) => {
      events.on(event, listener);
      return client;
    },
    start: async () => {
      started.push(Date.now());
      const step = script.shift() ?? 'connect';
      if (step === 'fail') throw new Error('apps.connections.open: HTTP 503');
      if (step === 'hang') await new Promise<void>((resolve) => (pending = resolve));
      events.emit('connected');
      return { ok: true };
    },
    disconnect: async () => {
      disconnects += 1;
    },
  };
  return {
    client: client as unknown as SocketClient,
    started,
    disconnects: () => disconnects,
    drop: () => events.emit('disconnected'),
    finishPending: () => pending?.(),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('keepReconnecting', () => {
  it('should leave the first start to the caller, and not reconnect before it has connected', async () => {
    const scripted = scriptedClient([]);
    keepReconnecting(scripted.client, silentLogger);

    scripted.drop();
    await vi.runAllTimersAsync();

    expect(scripted.started).toEqual([]);
  });

  it('should reconnect at once after a drop, then back off 0.5 s, 1 s, 2 s … while attempts fail', async () => {
    const scripted = scriptedClient(['connect', 'fail', 'fail', 'fail', 'connect']);
    keepReconnecting(scripted.client, silentLogger);
    await scripted.client.start();

    vi.setSystemTime(10_000);
    scripted.drop();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(scripted.started.map((t) => t - 10_000).slice(1)).toEqual([0, 500, 1_500, 3_500]);
    // Connected again: the next drop is retried at once once more.
    vi.setSystemTime(30_000);
    scripted.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(scripted.started.at(-1)).toBe(30_000);
  });

  it('should cap the backoff', async () => {
    const scripted = scriptedClient(['connect', ...Array<'fail'>(12).fill('fail')]);
    keepReconnecting(scripted.client, silentLogger, { retryDelayMs: 1_000, maxDelayMs: 5_000 });
    await scripted.client.start();

    scripted.drop();
    await vi.advanceTimersByTimeAsync(60_000);

    const gaps = scripted.started.slice(2).map((t, i) => t - (scripted.started[i + 1] ?? 0));
    expect(gaps.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('should make no attempt after stop, and close a connection an attempt was still opening', async () => {
    const scripted = scriptedClient(['connect', 'hang']);
    const reconnector = keepReconnecting(scripted.client, silentLogger);
    await scripted.client.start();

    scripted.drop();
    await vi.advanceTimersByTimeAsync(0);
    reconnector.stop();
    scripted.finishPending();
    await vi.advanceTimersByTimeAsync(0);
    scripted.drop();
    await vi.runAllTimersAsync();

    expect(scripted.started).toHaveLength(2);
    expect(scripted.disconnects()).toBe(1);
  });
});
