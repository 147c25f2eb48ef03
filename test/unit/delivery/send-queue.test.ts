import { describe, expect, it } from 'vitest';
import { createSendQueue, isStopped, type SendQueueOptions } from '../../../src/delivery/send-queue.js';
import type { Logger } from '../../../src/log.js';
import type { ChatSurface, MessageRef } from '../../../src/ports/index.js';
import { noTelemetry } from '../../../src/ports/telemetry.js';
import { textView } from '../../../src/views/view.js';
import {
  createRecordingSurface,
  createVirtualTimer,
  rateLimited,
  unavailable,
} from '../../support/recording-surface.js';

const SECOND = 1_000;
const card = (n: number) => textView(`card ${n}`, `card ${n}`);
const line = (text: string) => textView(text, text);
const ref = (messageId: string, channel = 'C1'): MessageRef => ({ surface: 'chat', channel, messageId });

/** A logger that keeps its warnings, for "one warning per pause". */
function recordingLogger() {
  const warnings: { fields: unknown; message: string }[] = [];
  const logger = { warn: (fields: unknown, message: string) => warnings.push({ fields, message }) };
  return { warnings, logger: logger as unknown as Logger };
}

function setup(options: Partial<SendQueueOptions> = {}) {
  const timer = createVirtualTimer();
  const surface = createRecordingSurface('chat', { now: timer.now });
  const { warnings, logger } = recordingLogger();
  const queue = createSendQueue({ logger, timer, ...options });
  const calls = () => surface.calls.map((c) => `${c.method}@${c.at}:${'ref' in c ? c.ref.messageId : c.view.title}`);
  return { timer, surface, queue, warnings, calls };
}

describe('send queue: pacing', () => {
  it('should send a burst at once, then one post a second per channel', async () => {
    const { surface, queue } = setup({ defaultRate: { perSecond: 1, burst: 3 } });

    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => queue.post(surface, 'C1', card(n))));

    expect(surface.calls.map((c) => c.at)).toEqual([0, 0, 0, 1 * SECOND, 2 * SECOND, 3 * SECOND]);
  });

  it('should pace each channel on its own and leave unlimited surfaces unpaced', async () => {
    const { surface, queue } = setup({ defaultRate: { perSecond: 1, burst: 1 }, rates: { fast: 'unlimited' } });
    const fast = createRecordingSurface('fast');

    await Promise.all([
      queue.post(surface, 'C1', card(1)),
      queue.post(surface, 'C2', card(2)),
      queue.post(surface, 'C1', card(3)),
      ...[4, 5, 6, 7].map((n) => queue.post(fast, 'C1', card(n))),
    ]);

    expect(surface.calls.map((c) => [c.method === 'post' && c.channel, c.at])).toEqual([
      ['C1', 0],
      ['C2', 0],
      ['C1', SECOND],
    ]);
    expect(fast.succeeded('post')).toHaveLength(4);
  });
});

describe('send queue: rate limits', () => {
  it('should pause the channel for Retry-After, retry the same item, count the 429 and warn once', async () => {
    const { surface, queue, warnings } = setup({ defaultRate: { perSecond: 10, burst: 10 } });
    surface.failNext(1, rateLimited(5 * SECOND), ['post']);

    const results = await Promise.all([1, 2, 3].map((n) => queue.post(surface, 'C1', card(n))));

    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(surface.calls.map((c) => [c.ok, c.at, c.method === 'post' && c.view.title])).toEqual([
      [false, 0, 'card 1'],
      [true, 5 * SECOND, 'card 1'],
      [true, 5 * SECOND + 100, 'card 2'],
      [true, 5 * SECOND + 200, 'card 3'],
    ]);
    expect(queue.rateLimited).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ channel: 'C1', retryAfterMs: 5 * SECOND });
  });

  it('should pause updates and unpaced surfaces for Retry-After too', async () => {
    const { surface, queue } = setup({ rates: { chat: 'unlimited' } });
    surface.failNext(1, rateLimited(3 * SECOND), ['update']);

    await Promise.all([queue.update(surface, ref('m1'), card(1)), queue.post(surface, 'C1', card(2))]);

    expect(surface.calls.map((c) => [c.method, c.ok, c.at])).toEqual([
      ['update', false, 0],
      ['update', true, 3 * SECOND],
      ['post', true, 3 * SECOND],
    ]);
  });

  it('should keep other channels going while one is paused', async () => {
    const { surface, queue } = setup();
    surface.failNext(1, rateLimited(30 * SECOND), ['post']);

    await Promise.all([queue.post(surface, 'C1', card(1)), queue.post(surface, 'C2', card(2))]);

    expect(surface.calls.map((c) => [c.method === 'post' && c.channel, c.ok, c.at])).toEqual([
      ['C1', false, 0],
      ['C2', true, 0],
      ['C1', true, 30 * SECOND],
    ]);
  });

  it('should hand a long pause back to the caller for every queued item, without calling the channel', async () => {
    const { surface, queue, warnings } = setup({ maxPauseMs: 60 * SECOND });
    surface.failNext(1, rateLimited(90 * SECOND), ['post']);

    const results = await Promise.all([1, 2, 3].map((n) => queue.post(surface, 'C1', card(n))));

    expect(surface.calls).toHaveLength(1);
    expect(results).toEqual([1, 2, 3].map(() => ({ ok: false, error: rateLimited(90 * SECOND) })));
    expect(warnings).toHaveLength(1);
  });

  it('should give up on one call after repeated 429s and pause 1 s when no Retry-After came', async () => {
    const { surface, queue } = setup({ maxRateLimitRetries: 2 });
    surface.failAlways(rateLimited(), ['post']);

    const result = await queue.post(surface, 'C1', card(1));

    expect(result).toEqual({ ok: false, error: rateLimited(SECOND) });
    expect(surface.calls.map((c) => c.at)).toEqual([0, SECOND, 2 * SECOND]);
  });
});

describe('send queue: updates', () => {
  it('should merge pending updates of one message: newest view once, every thread reply in order', async () => {
    const { surface, queue, calls } = setup({ defaultRate: { perSecond: 1, burst: 1 } });
    const work = [
      queue.post(surface, 'C1', card(1)),
      ...['a', 'b', 'c'].map((v) => queue.update(surface, ref('m7'), card(7), { reply: line(v) })),
      queue.update(surface, ref('m8'), card(8)),
      queue.update(surface, ref('m7'), card(70), { reply: line('d') }),
    ];

    const results = await Promise.all(work);

    expect(results.every((r) => r.ok)).toBe(true);
    expect(calls()).toEqual([
      'update@0:m7',
      'reply@0:m7',
      'reply@1000:m7',
      'reply@2000:m7',
      'reply@3000:m7',
      'update@3000:m8',
      'post@4000:card 1',
    ]);
    expect(surface.succeeded('update')[0]?.view.title).toBe('card 70');
    expect(surface.succeeded('reply').map((c) => c.view.title)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should not merge into an update already being sent', async () => {
    const { surface, queue, calls } = setup({ defaultRate: { perSecond: 1, burst: 1 } });
    const first = queue.update(surface, ref('m7'), card(1), { reply: line('a') });
    await Promise.resolve();
    await Promise.resolve();
    const second = queue.update(surface, ref('m7'), card(2), { reply: line('b') });

    await Promise.all([first, second]);

    expect(calls()).toEqual(['update@0:m7', 'reply@0:m7', 'update@0:m7', 'reply@1000:m7']);
    expect(surface.succeeded('update').map((c) => c.view.title)).toEqual(['card 1', 'card 2']);
  });

  it('should fail only the merged callers whose reply was not sent, and send no later reply', async () => {
    const { surface, queue } = setup({ defaultRate: { perSecond: 1, burst: 1 } });
    surface.onCall = (call) => {
      if (call.method === 'reply' && call.view.title === 'a') surface.failNext(1, unavailable('reply b failed'));
    };
    const updates = ['a', 'b', 'c'].map((v) => queue.update(surface, ref('m7'), card(7), { reply: line(v) }));
    const after = queue.update(surface, ref('m8'), card(8));

    const results = await Promise.all(updates);

    expect(results.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual(['ok', 'reply b failed', 'reply b failed']);
    expect((await after).ok).toBe(true);
    expect(surface.calls.map((c) => [c.method, c.ok, 'ref' in c && c.ref.messageId])).toEqual([
      ['update', true, 'm7'],
      ['reply', true, 'm7'],
      ['reply', false, 'm7'],
      ['update', true, 'm8'],
    ]);
  });

  it('should send updates ahead of queued posts, and urgent ones (clicks) ahead of both', async () => {
    const { surface, queue, calls } = setup({ defaultRate: { perSecond: 1, burst: 1 } });
    const backlog = [1, 2, 3].map((n) => queue.post(surface, 'C1', card(n)));
    await Promise.resolve();
    const work = [
      ...backlog,
      queue.update(surface, ref('m8'), card(8)),
      queue.update(surface, ref('m9'), card(9)),
      queue.update(surface, ref('m10'), card(10), { urgent: true }),
      // A click on a message with a bulk update pending: merges into it and moves it to the front.
      queue.update(surface, ref('m9'), card(90), { urgent: true }),
    ];

    await Promise.all(work);

    // card 1 was already being sent when the updates arrived.
    expect(calls()).toEqual([
      'post@0:card 1',
      'update@0:m10',
      'update@0:m9',
      'update@0:m8',
      'post@1000:card 2',
      'post@2000:card 3',
    ]);
    expect(surface.succeeded('update')[1]?.view.title).toBe('card 90');
  });

  it('should return a failure other than a rate limit to its caller and carry on with the next item', async () => {
    const { surface, queue } = setup();
    surface.failNext(1, unavailable('chat is down'), ['post']);

    const [a, b] = await Promise.all([queue.post(surface, 'C1', card(1)), queue.post(surface, 'C1', card(2))]);

    expect(a).toEqual({ ok: false, error: unavailable('chat is down') });
    expect(b.ok).toBe(true);
    expect(queue.rateLimited).toBe(0);
  });

  it('should turn a surface that throws into an error result for that item only', async () => {
    const { surface, queue } = setup();
    let posts = 0;
    const flaky: ChatSurface = {
      ...surface,
      post: (channel, view, options) => {
        posts += 1;
        return posts === 1 ? Promise.reject(new Error('adapter bug')) : surface.post(channel, view, options);
      },
    };

    const [a, b] = await Promise.all([queue.post(flaky, 'C1', card(1)), queue.post(flaky, 'C1', card(2))]);

    expect(a).toEqual({ ok: false, error: { code: 'unknown', message: 'adapter bug' } });
    expect(b.ok).toBe(true);
  });
});

describe('send queue: shutting down', () => {
  it('should answer everything still queued as unavailable, send nothing more, and refuse new work', async () => {
    // Real time: the first post goes at once (the burst), the rest would wait a quarter of a second each.
    const surface = createRecordingSurface('chat');
    const queue = createSendQueue({ logger: recordingLogger().logger, defaultRate: { perSecond: 4, burst: 1 } });
    const posts = [1, 2, 3].map((n) => queue.post(surface, 'C1', card(n)));
    expect((await posts[0])?.ok).toBe(true);
    queue.close();
    // Card 2 was already waiting for its slot; card 3 never started.
    expect(await posts[2]).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await queue.update(surface, ref('m1'), card(9))).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await queue.post(surface, 'C1', card(5))).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await posts[1];
    expect(surface.succeeded('post').map((c) => c.view.title)).not.toContain('card 3');
  });

  it('should answer a call that never returns as stopped once the grace is over, and send nothing after it', async () => {
    const hung = { ...createRecordingSurface('chat'), post: () => new Promise<never>(() => {}) } as ChatSurface;
    const abort = new AbortController();
    const queue = createSendQueue({ logger: recordingLogger().logger, signal: abort.signal });
    const inFlight = queue.post(hung, 'C1', card(1));
    const queued = queue.post(hung, 'C1', card(2));
    abort.abort();
    const answers = await Promise.all([inFlight, queued]);
    expect(answers.map((a) => !a.ok && isStopped(a.error))).toEqual([true, true]);
    const after = await queue.post(hung, 'C1', card(3));
    expect(!after.ok && isStopped(after.error)).toBe(true);
  });

  it('should not take an ordinary unavailable answer for a stop', async () => {
    const { surface, queue } = setup();
    surface.failNext(1, unavailable('chat is down'), ['post']);
    const answer = await queue.post(surface, 'C1', card(1));
    expect(!answer.ok && isStopped(answer.error)).toBe(false);
  });
});

describe('send queue: telemetry', () => {
  it('should report each chat call by surface, kind and outcome, and each 429, but nothing it never sent', async () => {
    const reports: string[] = [];
    const telemetry = {
      ...noTelemetry,
      delivered: (surface: string, kind: string, outcome: string) => reports.push(`${surface} ${kind} ${outcome}`),
      rateLimited: (surface: string) => reports.push(`${surface} 429`),
    };
    const { surface, queue } = setup({ defaultRate: { perSecond: 10, burst: 10 }, telemetry });
    surface.failNext(1, rateLimited(2 * SECOND), ['post']);
    await queue.post(surface, 'C1', card(1));
    surface.failNext(1, unavailable(), ['update']);
    await queue.update(surface, ref('m1'), card(2), { reply: line('noted') });
    await queue.update(surface, ref('m1'), card(3), { reply: line('assigned') });
    queue.close();
    await queue.post(surface, 'C1', card(4));

    expect(reports).toEqual(['chat 429', 'chat post ok', 'chat update failed', 'chat update ok', 'chat reply ok']);
  });
});
