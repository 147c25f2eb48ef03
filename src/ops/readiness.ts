import type { CronSchedule } from '../jobs/cron-times.js';
import { formatUtc } from '../views/format.js';

/** One thing /readyz checked, named so an operator (or a probe's log) sees which one failed. */
export interface ReadinessCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface ReadinessInput {
  now: Date;
  /** Reads from the store; throws when it cannot answer (closed, locked, corrupt). */
  probeStore(): void;
  /** Whether this process holds the store's instance lock (one writer per store). */
  instanceLockHeld(): boolean;
  /** Each scanned source: its scan schedule and when its last successful scan in this process ended. */
  sources: readonly { id: string; schedule: CronSchedule; lastOk: Date | null }[];
  /** Each chat surface that receives requests, and whether its connection (or listening socket) is up. */
  listeners: readonly { surface: string; connected: boolean }[];
}

/** The gap between the two schedule times after `from`: one schedule period there; null when it never fires again. */
function periodAfter(schedule: CronSchedule, from: Date): number | null {
  const first = schedule.next(from);
  const second = first ? schedule.next(first) : null;
  return first && second ? second.getTime() - first.getTime() : null;
}

function sourceCheck(source: ReadinessInput['sources'][number], now: Date): ReadinessCheck {
  const check = `source ${source.id}`;
  if (!source.lastOk) return { check, ok: false, detail: 'no successful scan yet' };
  const period = periodAfter(source.schedule, source.lastOk);
  const last = `last successful scan ${formatUtc(source.lastOk)}`;
  if (period === null) return { check, ok: true, detail: `${last}; its schedule fires no more` };
  const stale = now.getTime() - source.lastOk.getTime() > 2 * period;
  return { check, ok: !stale, detail: stale ? `${last}, over two schedule periods ago` : last };
}

/**
 * Whether this bot is doing its job: the store answers, it holds the instance lock, every source scanned successfully
 * within two of its schedule periods, and every chat surface that receives requests is connected.
 */
export function checkReadiness(input: ReadinessInput): Readiness {
  let store: ReadinessCheck = { check: 'store', ok: true, detail: 'open' };
  try {
    input.probeStore();
  } catch (error) {
    store = { check: 'store', ok: false, detail: error instanceof Error ? error.message : 'cannot be read' };
  }
  const held = input.instanceLockHeld();
  const checks: ReadinessCheck[] = [
    store,
    { check: 'instance lock', ok: held, detail: held ? 'held' : 'not held: another process may be writing' },
    ...input.sources.map((source) => sourceCheck(source, input.now)),
    ...input.listeners.map(({ surface, connected }) => ({
      check: `chat ${surface}`,
      ok: connected,
      detail: connected ? 'connected' : 'not connected',
    })),
  ];
  return { ready: checks.every((c) => c.ok), checks };
}
