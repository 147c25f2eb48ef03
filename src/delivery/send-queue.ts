import type { Logger } from '../log.js';
import type { ChatResult, ChatSurface, MessageRef, PostOptions } from '../ports/index.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { View } from '../views/view.js';
import {
  type ChannelPacer,
  createChannelPacer,
  DEFAULT_SEND_RATE,
  realTimer,
  type SendRate,
  type Timer,
} from './channel-pacer.js';

export { DEFAULT_SEND_RATE, realTimer, type SendRate, type Timer } from './channel-pacer.js';

export interface SendQueueOptions {
  logger: Logger;
  timer?: Timer;
  /** Pace per surface id; `unlimited` for surfaces with no platform limit (the terminal). */
  rates?: Readonly<Record<string, SendRate | 'unlimited'>>;
  defaultRate?: SendRate;
  /** A pause longer than this is not waited out: the item goes back to the caller (and the outbox). */
  maxPauseMs?: number;
  /** Consecutive 429s for one call before it goes back to the caller. */
  maxRateLimitRetries?: number;
  /** Hears each chat call's outcome and each 429, per surface. */
  telemetry?: Telemetry;
  /** Aborted when a stop's grace is over: calls in flight are answered as stopped and nothing else is sent. */
  signal?: AbortSignal;
}

export interface UpdateOptions {
  /** One line of history for the message's thread; never merged away. */
  reply?: View;
  /** A person is waiting (a click): ahead of bulk updates as well as new posts. */
  urgent?: boolean;
}

export interface SendQueue {
  post(surface: ChatSurface, channel: string, view: View, options?: PostOptions): Promise<ChatResult<MessageRef>>;
  /** Updates a message, then adds `reply` to its thread. Pending updates of one message merge into one. */
  update(surface: ChatSurface, ref: MessageRef, view: View, options?: UpdateOptions): Promise<ChatResult<void>>;
  /**
   * A reminder or escalation DM. All DMs of a surface share one lane at the surface's post pace: each goes to a
   * different one-to-one chat, so per-channel pacing alone would let a burst of reminders through unpaced.
   */
  direct(surface: ChatSurface, user: string, view: View): Promise<ChatResult<MessageRef>>;
  /** A thread reply on its own (a notice about the card), paced like a post in the message's channel. */
  reply(surface: ChatSurface, ref: MessageRef, view: View): Promise<ChatResult<void>>;
  /** 429 answers seen since the queue was created. */
  readonly rateLimited: number;
  /**
   * Stops sending: everything still queued is answered as stopped (see `isStopped`; its outbox row goes back as it
   * was), so shutting down never waits for a backlog paced at one message a second. Calls in flight go on.
   */
  close(): void;
}

interface PostItem {
  kind: 'post';
  send(): Promise<ChatResult<MessageRef>>;
  resolve(result: ChatResult<MessageRef>): void;
}

interface UpdateItem {
  kind: 'update';
  ref: MessageRef;
  view: View;
  /** Everyone whose update merged into this one, in arrival order, each with its own thread reply. */
  waiting: { reply: View | undefined; resolve(result: ChatResult<void>): void }[];
}

interface Lane {
  surface: ChatSurface;
  pacer: ChannelPacer;
  urgent: UpdateItem[];
  updates: UpdateItem[];
  posts: PostItem[];
  /** Updates not yet started, by message id: the only ones a newer update may merge into. */
  mergeable: Map<string, UpdateItem>;
  running: boolean;
}
const OK: ChatResult<void> = { ok: true, value: undefined };
/** The lane of a surface's DMs: no platform channel id can contain a NUL. */
const DIRECT_LANE = '\u0000direct';
const CLOSED = {
  ok: false as const,
  error: { code: 'unavailable' as const, message: 'dlp-bot stopped before this was sent or confirmed' },
};

/** An answer of a stopping queue: nothing failed, so the outbox row goes back without counting an attempt. */
export const isStopped = (error: object): boolean => error === CLOSED.error;

/**
 * One FIFO per (surface, channel), drained by its own worker so a slow or paused channel holds up no other.
 *
 * Order inside a channel: urgent updates (clicks), then other updates, then new posts. Updates edit a message
 * people already see and are cheap for the platform (Slack `chat.update` is Tier 3, not the per-channel post
 * limit), so a bulk backlog of new cards never delays them. Only posts and thread replies spend the channel's
 * post budget. An update merges into a pending (not yet started) update of the same message: the newest view
 * wins, and every merged caller's thread reply is still sent, in arrival order.
 */
export function createSendQueue(options: SendQueueOptions): SendQueue {
  const lanes = new Map<string, Lane>();
  let rateLimited = 0;
  let closed = false;
  const { signal } = options;
  /** A call in flight when the grace is over is answered as stopped at once; it may still land on the platform. */
  const orStopped = <T>(call: Promise<ChatResult<T>>): Promise<ChatResult<T>> => {
    if (!signal) return call;
    if (signal.aborted) return Promise.resolve(CLOSED);
    return new Promise((resolve, reject) => {
      const stop = () => resolve(CLOSED);
      signal.addEventListener('abort', stop, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
    });
  };

  const laneFor = (surface: ChatSurface, channel: string): Lane => {
    const key = `${surface.id}\u0000${channel}`;
    let lane = lanes.get(key);
    if (!lane) {
      const pacer = createChannelPacer({
        surface: surface.id,
        channel,
        rate: surface.sendRate ?? options.rates?.[surface.id] ?? options.defaultRate ?? DEFAULT_SEND_RATE,
        timer: options.timer ?? realTimer,
        logger: options.logger,
        maxPauseMs: options.maxPauseMs ?? 60_000,
        maxRetries: options.maxRateLimitRetries ?? 5,
        onRateLimited: () => {
          rateLimited += 1;
          options.telemetry?.rateLimited(surface.id);
        },
      });
      lane = { surface, pacer, urgent: [], updates: [], posts: [], mergeable: new Map(), running: false };
      lanes.set(key, lane);
    }
    return lane;
  };

  const counted = <T>(lane: Lane, kind: 'post' | 'update' | 'reply', result: ChatResult<T>): ChatResult<T> => {
    options.telemetry?.delivered(lane.surface.id, kind, result.ok ? 'ok' : 'failed');
    return result;
  };

  const sendUpdate = async (lane: Lane, item: UpdateItem): Promise<void> => {
    const updated = counted(
      lane,
      'update',
      await orStopped(lane.pacer.call(false, () => lane.surface.update(item.ref, item.view))),
    );
    for (const [index, waiter] of item.waiting.entries()) {
      let result = updated;
      if (result.ok && waiter.reply) {
        const reply = waiter.reply;
        result = counted(
          lane,
          'reply',
          await orStopped(lane.pacer.call(true, () => lane.surface.reply(item.ref, reply))),
        );
      }
      if (!result.ok) {
        // Later replies stay unsent: sending them now would put the thread's history out of order.
        for (const rest of item.waiting.slice(index)) rest.resolve(result);
        return;
      }
      waiter.resolve(OK);
    }
  };

  const next = (lane: Lane): UpdateItem | PostItem | undefined => {
    if (closed) return undefined;
    const item = lane.urgent.shift() ?? lane.updates.shift() ?? lane.posts.shift();
    if (item?.kind === 'update') lane.mergeable.delete(item.ref.messageId);
    return item;
  };

  const drain = async (lane: Lane): Promise<void> => {
    try {
      for (let item = next(lane); item; item = next(lane)) {
        if (item.kind === 'update') await sendUpdate(lane, item);
        else item.resolve(counted(lane, 'post', await orStopped(lane.pacer.call(true, item.send))));
      }
    } finally {
      lane.running = false;
    }
  };

  // The worker starts on the next microtask, so whatever is queued in the same tick (a delivery run queues
  // everything at once) is first sorted into its lane and merged, instead of the first item racing ahead.
  const wake = (lane: Lane) => {
    if (lane.running) return;
    lane.running = true;
    queueMicrotask(() => void drain(lane));
  };

  const abandon = (lane: Lane) => {
    for (const item of [...lane.urgent, ...lane.updates]) for (const waiter of item.waiting) waiter.resolve(CLOSED);
    for (const item of lane.posts) item.resolve(CLOSED);
    lane.urgent = [];
    lane.updates = [];
    lane.posts = [];
    lane.mergeable.clear();
  };

  const enqueuePost = (lane: Lane, send: PostItem['send']): Promise<ChatResult<MessageRef>> => {
    if (closed) return Promise.resolve(CLOSED);
    const done = new Promise<ChatResult<MessageRef>>((resolve) => {
      lane.posts.push({ kind: 'post', send, resolve });
    });
    wake(lane);
    return done;
  };

  signal?.addEventListener('abort', () => queue.close(), { once: true });
  const queue: SendQueue = {
    post: (surface, channel, view, postOptions) =>
      enqueuePost(laneFor(surface, channel), () => surface.post(channel, view, postOptions)),
    direct(surface, user, view) {
      const send = surface.direct?.bind(surface);
      if (!send) {
        return Promise.resolve({ ok: false, error: { code: 'rejected', message: `${surface.id} sends no DMs` } });
      }
      return enqueuePost(laneFor(surface, DIRECT_LANE), () => send(user, view));
    },
    reply: (surface, ref, view) =>
      enqueuePost(laneFor(surface, ref.channel), async () => {
        const replied = await surface.reply(ref, view);
        return replied.ok ? { ok: true, value: ref } : replied;
      }).then((sent) => (sent.ok ? OK : sent)),
    update(surface, ref, view, updateOptions = {}) {
      if (closed) return Promise.resolve(CLOSED);
      const lane = laneFor(surface, ref.channel);
      const done = new Promise<ChatResult<void>>((resolve) => {
        const waiter = { reply: updateOptions.reply, resolve };
        const pending = lane.mergeable.get(ref.messageId);
        if (pending) {
          pending.view = view;
          pending.waiting.push(waiter);
          if (updateOptions.urgent && !lane.urgent.includes(pending)) {
            lane.updates.splice(lane.updates.indexOf(pending), 1);
            lane.urgent.push(pending);
          }
          return;
        }
        const item: UpdateItem = { kind: 'update', ref, view, waiting: [waiter] };
        lane.mergeable.set(ref.messageId, item);
        (updateOptions.urgent ? lane.urgent : lane.updates).push(item);
      });
      wake(lane);
      return done;
    },
    get rateLimited() {
      return rateLimited;
    },
    close() {
      closed = true;
      for (const lane of lanes.values()) abandon(lane);
    },
  };
  return queue;
}
