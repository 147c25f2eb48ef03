import { z } from 'zod';
import type { Logger } from '../log.js';
import type { SimulatorHandle } from '../ports/index.js';
import type { Store } from '../store/index.js';

const PORTS_KEY = 'sandbox.ports';
const Ports = z.record(z.string(), z.number().int().min(1).max(65_535));

/**
 * Each sandbox simulator listens on the port it had last time when that is free, so the URLs it prints and the
 * links in its incidents (Symantec's point at the simulator) stay the same across runs: a restart alone then
 * changes no incident, and no card is updated for nothing.
 */
export function createSandboxPorts(store: Store, logger: Logger) {
  const saved = Ports.safeParse(parseJson(store.settings.get(PORTS_KEY)));
  const ports: Record<string, number> = saved.success ? { ...saved.data } : {};
  let changed = false;
  return {
    async start(sourceId: string, start: (port: number | undefined) => Promise<SimulatorHandle>) {
      const previous = ports[sourceId];
      let handle: SimulatorHandle;
      try {
        handle = await start(previous);
      } catch (error) {
        if (previous === undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        logger.info({ source: sourceId, port: previous }, 'sandbox: the port used last time is taken; using another');
        handle = await start(undefined);
      }
      changed ||= ports[sourceId] !== handle.port;
      ports[sourceId] = handle.port;
      return handle;
    },
    save() {
      if (changed) store.settings.set(PORTS_KEY, JSON.stringify(ports));
    },
  };
}

function parseJson(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
