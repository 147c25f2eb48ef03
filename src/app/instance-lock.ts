import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { Clock } from '../ports/index.js';
import { DEFAULT_LEASE_MS, type LockHolder, type Store } from '../store/index.js';
import { describeHolder } from './lock-holder.js';

export { describeHolder, heldMessage } from './lock-holder.js';

/** How often the holder says it is alive; a holder silent for `STALE_AFTER_MS` is taken to be gone. */
export const HEARTBEAT_EVERY_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

/** Runs `fn` every `ms` until the returned stop is called; tests pass one they fire by hand. */
export interface Ticker {
  every(ms: number, fn: () => void): () => void;
}

export const realTicker: Ticker = {
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    // The heartbeat alone must never keep a finished process alive.
    timer.unref();
    return () => clearInterval(timer);
  },
};

export type LockCommand = 'serve' | 'scan';

export interface HeldLock {
  readonly holder: string;
  /** Settles if another process took the lock over after this one went silent past `STALE_AFTER_MS`. */
  readonly lost: Promise<void>;
  /** Refreshes the heartbeat now (the ticker calls it every `HEARTBEAT_EVERY_MS`). */
  beat(): void;
  /** Stops the heartbeat and gives the lock, and this holder's outbox leases, up. Idempotent. */
  release(): void;
}

export type LockResult =
  | { held: true; lock: HeldLock; tookOver: LockHolder | null }
  | { held: false; holder: LockHolder };

export interface InstanceLockOptions {
  store: Store;
  command: LockCommand;
  /** This process run's token (the runtime's instance id); also the holder of its outbox leases and job runs. */
  holder: string;
  clock: Clock;
  logger: Logger;
  pid?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
  ticker?: Ticker;
  /** Also done at each heartbeat (serve extends the leases of the rows it is sending). */
  onBeat?: () => void;
}

/** Whether a process with this pid exists on this host; EPERM means it does, under another user. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Gone: a process on this host that no longer exists, or any holder whose heartbeat is older than the limit. */
export function isStale(
  current: LockHolder,
  here: { now: Date; host: string; isAlive: (pid: number) => boolean },
): boolean {
  if (current.host === here.host && !here.isAlive(current.pid)) return true;
  return here.now.getTime() - current.heartbeatAt.getTime() > STALE_AFTER_MS;
}

/** Takes the store's instance lock and keeps it alive with a heartbeat, or answers who holds it. */
export function takeInstanceLock(options: InstanceLockOptions): LockResult {
  const { store, clock, holder } = options;
  const here = {
    host: options.host ?? hostname(),
    isAlive: options.isAlive ?? pidAlive,
  };
  const now = clock.now();
  const candidate: LockHolder = {
    holder,
    command: options.command,
    pid: options.pid ?? process.pid,
    host: here.host,
    startedAt: now,
    heartbeatAt: now,
  };
  const result = store.instanceLock.acquire(candidate, (current) => isStale(current, { ...here, now }));
  if (!result.acquired) return { held: false, holder: result.holder };
  if (result.previous) {
    options.logger.warn(
      { previous: describeHolder(result.previous), lastHeartbeat: result.previous.heartbeatAt.toISOString() },
      'took over the instance lock of a dlp-bot that is gone',
    );
  }
  let onLost: () => void = () => {};
  const lost = new Promise<void>((resolve) => {
    onLost = resolve;
  });
  let released = false;
  const beat = () => {
    if (released) return;
    if (!store.instanceLock.heartbeat(holder, clock.now())) {
      options.logger.error(
        { holder: describeHolder(candidate) },
        'the instance lock was taken over by another process',
      );
      stop();
      onLost();
      return;
    }
    options.onBeat?.();
  };
  const stop = (options.ticker ?? realTicker).every(HEARTBEAT_EVERY_MS, () => {
    try {
      beat();
    } catch (error) {
      options.logger.error({ err: error }, 'instance lock heartbeat failed');
    }
  });
  return {
    held: true,
    tookOver: result.previous,
    lock: {
      holder,
      lost,
      beat,
      release() {
        if (released) return;
        released = true;
        stop();
        store.instanceLock.release(holder);
      },
    },
  };
}

/**
 * A runtime's hold on its store: the first `take` takes the lock (its heartbeat also extends the outbox leases of this
 * holder), later ones answer the lock already held whatever the command; `release` gives it up.
 */
export function createStoreLock(deps: {
  store: () => Store;
  holder: string;
  clock: Clock;
  logger: Logger;
  ticker?: Ticker;
}): { take(command: LockCommand): LockResult; release(): void } {
  let held: Extract<LockResult, { held: true }> | undefined;
  return {
    take(command) {
      if (held) return held;
      const store = deps.store();
      const { holder, clock } = deps;
      const result = takeInstanceLock({
        ...deps,
        store,
        command,
        onBeat: () => store.outbox.renewLeases(holder, new Date(clock.now().getTime() + DEFAULT_LEASE_MS)),
      });
      if (result.held) held = result;
      return result;
    },
    release() {
      held?.lock.release();
      held = undefined;
    },
  };
}
