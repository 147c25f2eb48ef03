import type { Timer } from '../../src/delivery/send-queue.js';
import { err, ok } from '../../src/domain/result.js';
import type { ChatResult, ChatSurface, MessageRef, PostLookup } from '../../src/ports/index.js';
import type { View } from '../../src/views/view.js';

/**
 * A `ChatSurface` fake that records every call with the View it was given and can be told to fail its next
 * N calls (rate limited with a Retry-After, unavailable, …). Message ids are `msg-1`, `msg-2`, … in post order.
 * With `postLimit` it also behaves like Slack's chat.postMessage tier: per channel, posts and thread replies
 * over the limit get a 429 with a whole-second Retry-After, on the virtual time of `now`.
 */

export type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

/** `at` is set when the surface has a clock; `threadOf` when a post went into a thread. */
export type SurfaceCall = (
  | { method: 'post'; channel: string; view: View; ok: boolean; threadOf?: MessageRef }
  | { method: 'update'; ref: MessageRef; view: View; ok: boolean }
  | { method: 'reply'; ref: MessageRef; view: View; ok: boolean }
  | { method: 'ephemeral'; user: string; channel: string; view: View; ok: boolean }
  | { method: 'direct'; user: string; view: View; ok: boolean }
) & { at?: number; error?: ChatError };

export type SurfaceMethod = SurfaceCall['method'];

/** At most `burst` posts per channel in any `burst / perSecond` seconds: about `perSecond` with short bursts. */
export interface PostLimit {
  perSecond: number;
  burst: number;
}

export interface RecordingSurfaceOptions {
  defaultChannel?: string | null;
  /** Virtual time for `at` and the post limit (e.g. a `createVirtualTimer()`'s `now`). */
  now?: () => number;
  postLimit?: PostLimit;
  /** The pace the surface states (`ChatSurface.sendRate`); `unlimited` keeps a test off the real-time pacer. */
  sendRate?: ChatSurface['sendRate'];
  /** The surface reads its channels back (`findPost`, as Slack with the history scopes); off, it cannot (Teams). */
  readBack?: boolean;
}

export interface RecordingSurface extends ChatSurface {
  readonly calls: SurfaceCall[];
  /** Successful calls of one kind (failed attempts are in `calls` with `ok: false`). */
  succeeded<M extends SurfaceMethod>(method: M): Extract<SurfaceCall, { method: M }>[];
  /** The next `times` calls (optionally only of these methods) fail with `error`. */
  failNext(times: number, error: ChatError, methods?: readonly SurfaceMethod[]): void;
  /** Fails every matching call until `heal()`; for "always down" cases. */
  failAlways(error: ChatError, methods?: readonly SurfaceMethod[]): void;
  heal(): void;
  /** The next `times` posts are created but their answer is lost (`unavailable`), as after a crash or a timeout. */
  loseNext(times: number): void;
  /** Every `findPost` asked, in order; with `failLookups`, each answers that error instead. */
  readonly lookups: PostLookup[];
  failLookups(error: ChatError | null): void;
  /** Posts the platform now holds (successful and lost ones), with the view they were posted with. */
  readonly created: { ref: MessageRef; view: View }[];
  /** Called with each call as it is recorded (before the caller sees the answer). */
  onCall: ((call: SurfaceCall) => void) | null;
}

export const rateLimited = (retryAfterMs?: number): ChatError => ({
  code: 'rate_limited',
  message: 'ratelimited',
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

export const unavailable = (message = 'service unavailable'): ChatError => ({ code: 'unavailable', message });

const channelOf = (call: SurfaceCall) =>
  'ref' in call ? call.ref.channel : 'channel' in call ? call.channel : `dm:${call.user}`;

export function createRecordingSurface(id = 'recording', options: RecordingSurfaceOptions = {}): RecordingSurface {
  const calls: SurfaceCall[] = [];
  let posted = 0;
  let failure: { remaining: number; error: ChatError; methods: readonly SurfaceMethod[] | undefined } | null = null;
  const accepted = new Map<string, number[]>();
  const created: { ref: MessageRef; view: View }[] = [];
  const lookups: PostLookup[] = [];
  let lose = 0;
  let lookupError: ChatError | null = null;

  /** Decides whether this call fails, consuming one planned failure if so. */
  const failureFor = (method: SurfaceMethod): ChatError | null => {
    if (!failure || failure.remaining <= 0) return null;
    if (failure.methods && !failure.methods.includes(method)) return null;
    failure.remaining -= 1;
    return failure.error;
  };

  /** The sliding-window post limit: a 429 whose Retry-After (rounded up to whole seconds) frees a slot. */
  const overLimit = (call: SurfaceCall): ChatError | null => {
    const { postLimit, now } = options;
    if (!postLimit || !now || (call.method !== 'post' && call.method !== 'reply')) return null;
    const windowMs = (postLimit.burst / postLimit.perSecond) * 1_000;
    const at = now();
    const recent = (accepted.get(channelOf(call)) ?? []).filter((t) => t > at - windowMs);
    accepted.set(channelOf(call), recent);
    const oldest = recent[0];
    if (recent.length < postLimit.burst || oldest === undefined) {
      recent.push(at);
      return null;
    }
    return rateLimited(Math.ceil((oldest + windowMs - at) / 1_000) * 1_000);
  };

  const answer = <T>(call: SurfaceCall, value: () => T): ChatResult<T> => {
    const error = failureFor(call.method) ?? overLimit(call);
    const recorded: SurfaceCall = { ...call, ok: error === null };
    if (options.now) recorded.at = options.now();
    if (error) recorded.error = error;
    calls.push(recorded);
    surface.onCall?.(recorded);
    return error ? err(error) : ok(value());
  };

  const succeeded = <M extends SurfaceMethod>(method: M) =>
    calls.filter((c): c is Extract<SurfaceCall, { method: M }> => c.method === method && c.ok);

  const surface: RecordingSurface = {
    id,
    defaultChannel: options.defaultChannel === undefined ? 'C-DEFAULT' : options.defaultChannel,
    ...(options.sendRate ? { sendRate: options.sendRate } : {}),
    calls,
    succeeded,
    onCall: null,
    async post(channel, view, postOptions) {
      const threadOf = postOptions?.inThreadOf;
      const call: SurfaceCall = { method: 'post', channel, view, ok: true, ...(threadOf ? { threadOf } : {}) };
      const create = () => {
        posted += 1;
        const ref: MessageRef = { surface: id, channel, messageId: `msg-${posted}` };
        if (threadOf) ref.threadId = threadOf.threadId ?? threadOf.messageId;
        created.push({ ref, view });
        return ref;
      };
      if (lose > 0) {
        lose -= 1;
        create();
        const error = unavailable('the answer was lost');
        calls.push({ ...call, ok: false, error, ...(options.now ? { at: options.now() } : {}) });
        return err(error);
      }
      return answer(call, create);
    },
    async update(ref, view) {
      return answer({ method: 'update', ref, view, ok: true }, () => undefined);
    },
    async reply(ref, view) {
      return answer({ method: 'reply', ref, view, ok: true }, () => undefined);
    },
    async ephemeral(user, channel, view) {
      return answer({ method: 'ephemeral', user, channel, view, ok: true }, () => undefined);
    },
    async direct(user, view) {
      return answer({ method: 'direct', user, view, ok: true }, () => {
        posted += 1;
        return { surface: id, channel: `dm:${user}`, messageId: `msg-${posted}` };
      });
    },
    failNext(times, error, methods) {
      failure = { remaining: times, error, methods };
    },
    loseNext(times) {
      lose = times;
    },
    lookups,
    failLookups(error) {
      lookupError = error;
    },
    created,
    failAlways(error, methods) {
      failure = { remaining: Number.POSITIVE_INFINITY, error, methods };
    },
    heal() {
      failure = null;
    },
  };
  if (options.readBack) {
    surface.findPost = async (lookup) => {
      lookups.push(lookup);
      if (lookupError) return err(lookupError);
      const found = created.find(
        (c) =>
          c.ref.channel === lookup.channel &&
          c.ref.threadId === lookup.threadId &&
          c.view.subject?.source === lookup.subject.source &&
          c.view.subject.id === lookup.subject.id,
      );
      return ok(found ? { kind: 'found' as const, ref: found.ref } : { kind: 'absent' as const });
    };
  }
  return surface;
}

export interface VirtualTimer extends Timer {
  /** Every `sleep` asked for, with when it was asked. */
  readonly sleeps: { at: number; ms: number }[];
}

/**
 * Virtual time for the send queue and the surface's limit. A sleeper wakes only once everything runnable has
 * run (the next macrotask), and time jumps to the earliest wake-up, so a 1,000-second run takes milliseconds.
 */
export function createVirtualTimer(start = 0): VirtualTimer {
  let now = start;
  let seq = 0;
  let scheduled = false;
  const sleepers: { at: number; seq: number; wake: () => void }[] = [];
  const sleeps: { at: number; ms: number }[] = [];

  const schedule = () => {
    if (scheduled || sleepers.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = sleepers.shift();
      if (first) {
        now = Math.max(now, first.at);
        first.wake();
      }
      schedule();
    });
  };

  return {
    sleeps,
    now: () => now,
    sleep(ms) {
      sleeps.push({ at: now, ms });
      return new Promise<void>((wake) => {
        sleepers.push({ at: now + Math.max(0, ms), seq: seq++, wake });
        schedule();
      });
    },
  };
}
