import { err, ok } from '../../src/domain/result.js';
import type { ChatResult, ChatSurface, MessageRef } from '../../src/ports.js';
import type { View } from '../../src/views/view.js';

/**
 * A `ChatSurface` fake that records every call with the View it was given and can be told to fail its next
 * N calls (rate limited with a Retry-After, unavailable, …). Message ids are `msg-1`, `msg-2`, … in post order.
 */

export type ChatError = Extract<ChatResult<never>, { ok: false }>['error'];

export type SurfaceCall =
  | { method: 'post'; channel: string; view: View; ok: boolean }
  | { method: 'update'; ref: MessageRef; view: View; ok: boolean }
  | { method: 'reply'; ref: MessageRef; view: View; ok: boolean }
  | { method: 'ephemeral'; user: string; channel: string; view: View; ok: boolean };

export type SurfaceMethod = SurfaceCall['method'];

export interface RecordingSurface extends ChatSurface {
  readonly calls: SurfaceCall[];
  /** Successful calls of one kind (failed attempts are in `calls` with `ok: false`). */
  succeeded<M extends SurfaceMethod>(method: M): Extract<SurfaceCall, { method: M }>[];
  /** The next `times` calls (optionally only of these methods) fail with `error`. */
  failNext(times: number, error: ChatError, methods?: readonly SurfaceMethod[]): void;
  /** Fails every matching call until `heal()`; for "always down" cases. */
  failAlways(error: ChatError, methods?: readonly SurfaceMethod[]): void;
  heal(): void;
}

export const rateLimited = (retryAfterMs?: number): ChatError => ({
  code: 'rate_limited',
  message: 'ratelimited',
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

export const unavailable = (message = 'service unavailable'): ChatError => ({ code: 'unavailable', message });

export function createRecordingSurface(id = 'recording'): RecordingSurface {
  const calls: SurfaceCall[] = [];
  let posted = 0;
  let failure: { remaining: number; error: ChatError; methods: readonly SurfaceMethod[] | undefined } | null = null;

  /** Decides whether this call fails, consuming one planned failure if so. */
  const failureFor = (method: SurfaceMethod): ChatError | null => {
    if (!failure || failure.remaining <= 0) return null;
    if (failure.methods && !failure.methods.includes(method)) return null;
    failure.remaining -= 1;
    return failure.error;
  };

  const answer = <T>(call: SurfaceCall, value: () => T): ChatResult<T> => {
    const error = failureFor(call.method);
    calls.push({ ...call, ok: error === null });
    return error ? err(error) : ok(value());
  };

  const succeeded = <M extends SurfaceMethod>(method: M) =>
    calls.filter((c): c is Extract<SurfaceCall, { method: M }> => c.method === method && c.ok);

  return {
    id,
    defaultChannel: 'C-DEFAULT',
    calls,
    succeeded,
    async post(channel, view) {
      return answer({ method: 'post', channel, view, ok: true }, () => {
        posted += 1;
        return { surface: id, channel, messageId: `msg-${posted}` };
      });
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
    failNext(times, error, methods) {
      failure = { remaining: times, error, methods };
    },
    failAlways(error, methods) {
      failure = { remaining: Number.POSITIVE_INFINITY, error, methods };
    },
    heal() {
      failure = null;
    },
  };
}
