import type { OpsConfig } from '../config/ops-schema.js';
import type { CronSchedule } from '../jobs/cron-times.js';
import type { Logger } from '../log.js';
import { startOpsListener } from '../ops/listener.js';
import { createMetrics } from '../ops/metrics.js';
import { checkReadiness } from '../ops/readiness.js';
import type { TelemetryHub } from '../ops/telemetry-hub.js';
import type { Clock } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { StartupError } from './startup-error.js';

export interface OpsDeps {
  ops: OpsConfig & { port: number };
  store: Store;
  clock: Clock;
  logger: Logger;
  telemetry: TelemetryHub;
  /** Each scanned source's schedule, by source id. */
  scanSchedules: ReadonlyMap<string, CronSchedule>;
  /** The chat surfaces receiving requests now, and whether each is connected. */
  listeners(): readonly { surface: string; connected: boolean }[];
  instanceLockHeld(): boolean;
}

export interface RunningOps {
  address: string;
  close(): Promise<void>;
}

/**
 * Serve's ops listener: metrics in a registry of this bot's own, fed by the runtime's telemetry from now on, and
 * readiness judged on the bot's clock. Loaded only when `ops.port` is set, so no other start pays for prom-client.
 */
export async function startOps(deps: OpsDeps): Promise<RunningOps> {
  const { store, clock, logger } = deps;
  const metrics = createMetrics({ store, clock });
  // A successful scan by this process, not an old one in the store, is what says this bot is doing its job.
  const lastOk = new Map<string, Date>();
  const detach = deps.telemetry.attach({
    ...metrics.telemetry,
    scanned(source, outcome, seconds) {
      metrics.telemetry.scanned(source, outcome, seconds);
      if (outcome === 'ok') lastOk.set(source, clock.now());
    },
  });
  const readiness = () =>
    checkReadiness({
      now: clock.now(),
      probeStore: () => void store.audit.head(),
      instanceLockHeld: deps.instanceLockHeld,
      sources: [...deps.scanSchedules].map(([id, schedule]) => ({ id, schedule, lastOk: lastOk.get(id) ?? null })),
      listeners: deps.listeners(),
    });
  const { host, port } = deps.ops;
  try {
    const listener = await startOpsListener({ host, port, metrics, readiness, logger });
    return {
      address: listener.address,
      async close() {
        detach();
        await listener.close();
      },
    };
  } catch (error) {
    detach();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EADDRNOTAVAIL' ? 'no such address here' : code;
    throw new StartupError(
      `the ops listener cannot listen on ${host}:${port} (${why ?? 'unknown error'}): check ops.host and ops.port`,
      {
        cause: error,
      },
    );
  }
}
