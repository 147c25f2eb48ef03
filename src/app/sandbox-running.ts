import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';

/** Settings key of the record a sandbox `serve` keeps while it runs; empty when none runs. */
const RUNNING_KEY = 'sandbox.running';

const RunningSource = z.strictObject({
  id: z.string().min(1),
  /** The source entry, exactly as the sandbox config lists it, pointing at the running simulator. */
  config: z.record(z.string(), z.unknown()),
  /** The throwaway sandbox credentials the entry names. */
  env: z.record(z.string(), z.string()),
  /** Variables whose value is a file's content (Symphony's PEM key): the path only, read by the one-shot. */
  envFiles: z.record(z.string(), z.string()),
});

const RunningSandbox = z.strictObject({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.iso.datetime(),
  anchor: z.iso.datetime(),
  sources: z.array(RunningSource),
});
export type RunningSandbox = z.infer<typeof RunningSandbox>;
export type RunningSource = z.infer<typeof RunningSource>;

/** Recorded by `serve` once its simulators listen, so one-shot commands use them instead of starting their own. */
export function recordRunningSandbox(store: Store, record: Omit<RunningSandbox, 'pid' | 'hostname'>): void {
  const full: RunningSandbox = { pid: process.pid, hostname: hostname(), ...record };
  store.settings.set(RUNNING_KEY, JSON.stringify(full));
}

/** Removed on a clean stop; only this process's own record (another serve may have started since). */
export function clearRunningSandbox(store: Store): void {
  const current = readRecord(store);
  if (current?.pid === process.pid && current.hostname === hostname()) store.settings.set(RUNNING_KEY, '');
}

/**
 * The record of a sandbox `serve` running now on this host, or null. A record whose process is gone was left by
 * a crash and is ignored (a one-shot then starts its own simulators from the persisted vendor state).
 */
export function findRunningSandbox(store: Store, logger: Logger): RunningSandbox | null {
  const record = readRecord(store, logger);
  if (!record) return null;
  if (record.hostname !== hostname() || !isAlive(record.pid)) {
    logger.info(
      { pid: record.pid, host: record.hostname },
      'sandbox: the recorded dlp-bot serve is not running; ignored',
    );
    return null;
  }
  return record;
}

/** The environment a one-shot needs to reach the running simulators; null when a key file is gone (serve stopped). */
export function runningSandboxEnv(record: RunningSandbox, logger: Logger): Record<string, string> | null {
  const env: Record<string, string> = {};
  for (const source of record.sources) {
    Object.assign(env, source.env);
    for (const [name, path] of Object.entries(source.envFiles)) {
      try {
        env[name] = readFileSync(path, 'utf8');
      } catch {
        logger.info({ source: source.id, variable: name }, 'sandbox: a key file of the running serve is gone; ignored');
        return null;
      }
    }
  }
  return env;
}

function readRecord(store: Store, logger?: Logger): RunningSandbox | null {
  const raw = store.settings.get(RUNNING_KEY);
  if (!raw) return null;
  try {
    return RunningSandbox.parse(JSON.parse(raw));
  } catch {
    logger?.warn({ key: RUNNING_KEY }, 'sandbox: the running-serve record is unreadable; ignored');
    return null;
  }
}

/** Signal 0 tests for the process without touching it; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
