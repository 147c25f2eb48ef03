import { formatKeyPath } from '../config/load.js';
import type { Config, Env } from '../config/schema.js';
import { createConfigSchema } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { AdapterDefinition, ChatSurfaceDefinition, Clock, SimulatorHandle } from '../ports.js';
import type { Store } from '../store/index.js';
import { ConfigInvalidError } from './config-error.js';

export interface Sandbox {
  config: Config;
  description: string[];
  close(): Promise<void>;
}

/** Where the sandbox keeps its database: apart from a config file's default, so sandbox data never mixes in. */
export const SANDBOX_STORE_PATH = './data/sandbox.sqlite';

const ANCHOR_KEY = 'sandbox.anchor';
/** After a day the seeded incidents would all be long escalated; start a fresh dataset instead. */
const ANCHOR_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const INCIDENTS_PER_VENDOR = 60;
/** A fixed seed: every newcomer sees the same story (a few breaches per severity, some escalated). */
const SANDBOX_SEED = 42;
const ARRIVALS_PER_HOUR = 6;

/**
 * The no-config experience: every vendor simulator on loopback with a seeded dataset, wired through the
 * same config schema a real file goes through. The dataset's anchor time is kept in the store so that a
 * restart continues the same story (incidents keep ageing) instead of reshuffling it.
 */
export async function startSandbox(deps: {
  adapters: readonly AdapterDefinition[];
  surfaces: readonly ChatSurfaceDefinition[];
  env: Env;
  store: Store;
  clock: Clock;
  logger: Logger;
}): Promise<Sandbox> {
  const { adapters, store, clock, logger } = deps;
  const simulated = sandboxSources(adapters);
  const anchor = sandboxAnchor(
    store,
    clock.now(),
    simulated.map((s) => s.id),
    logger,
  );
  const handles: { vendor: string; handle: SimulatorHandle }[] = [];
  try {
    for (const { id, adapter, api, index } of simulated) {
      const handle = await adapter.startSimulator({
        // Each further API gets its own story, so the same incidents are not announced twice.
        seed: SANDBOX_SEED + index,
        incidents: INCIDENTS_PER_VENDOR,
        anchor,
        arrivalsPerHour: ARRIVALS_PER_HOUR,
        api,
        clock,
      });
      handles.push({ vendor: id, handle });
    }
    const env = { ...deps.env, ...Object.assign({}, ...handles.map(({ handle }) => handle.env())) };
    const chat = Object.fromEntries(
      deps.surfaces.flatMap((s) => {
        const section = s.sandboxConfig?.(deps.env);
        return section ? [[s.config.key, section]] : [];
      }),
    );
    const raw = {
      store: { path: SANDBOX_STORE_PATH },
      chat,
      // No config file means nobody has set up roles yet: let a newcomer try every action.
      roles: { default: 'analyst' },
      sources: handles.map(({ vendor, handle }) => handle.sourceConfig(vendor)),
    };
    const config = parseConfigObject(raw, env, adapters, deps.surfaces);
    logger.info({ sources: handles.map((h) => h.vendor), anchor: anchor.toISOString() }, 'sandbox started');
    return {
      config,
      description: [
        `Sandbox: no config file, so dlp-bot is running against built-in vendor simulators on loopback.`,
        `Dataset anchored at ${anchor.toISOString()} (kept in the store; a fresh one starts after 24 h).`,
        ...handles.flatMap(({ vendor, handle }) => [`${vendor}:`, ...handle.describe().map((line) => `  ${line}`)]),
      ],
      close: async () => {
        await Promise.allSettled(handles.map(({ handle }) => handle.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(handles.map(({ handle }) => handle.close()));
    throw error;
  }
}

/** One sandbox source per vendor API: the default one under the vendor's name, the others as `<vendor>-<api>`. */
function sandboxSources(adapters: readonly AdapterDefinition[]) {
  return adapters.flatMap((adapter) => {
    const start = adapter.startSimulator?.bind(adapter);
    if (!start) return [];
    const apis = adapter.apis?.length ? adapter.apis : [undefined];
    return apis.map((api, index) => ({
      id: index === 0 ? adapter.vendor : `${adapter.vendor}-${api}`,
      adapter: { startSimulator: start },
      api,
      index,
    }));
  });
}

/**
 * The saved anchor, or a new one. A new dataset reuses the same incident ids with new times, so the old
 * sandbox incidents, their messages and queued announcements are forgotten first (the audit log stays).
 */
function sandboxAnchor(store: Store, now: Date, sourceIds: readonly string[], logger: Logger): Date {
  const saved = store.settings.get(ANCHOR_KEY);
  const parsed = saved ? new Date(saved) : null;
  if (parsed && !Number.isNaN(parsed.getTime()) && now.getTime() - parsed.getTime() < ANCHOR_MAX_AGE_MS) {
    return parsed;
  }
  store.transaction(() => {
    for (const id of sourceIds) {
      const removed = store.incidents.deleteSource(id);
      store.scanState.delete(id);
      if (removed > 0) logger.info({ source: id, removed }, 'sandbox dataset renewed; old sandbox incidents removed');
    }
    store.settings.set(ANCHOR_KEY, now.toISOString());
  });
  return now;
}

/** Re-validates a config object assembled in code (the sandbox) through the same schema as a file. */
export function parseConfigObject(
  raw: unknown,
  env: Env,
  adapters: readonly AdapterDefinition[],
  surfaces: readonly ChatSurfaceDefinition[] = [],
): Config {
  const parsed = createConfigSchema(
    adapters.map((a) => a.config),
    env,
    surfaces.map((s) => s.config),
  ).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigInvalidError(
      '(sandbox)',
      parsed.error.issues.map((i) => ({ path: formatKeyPath(i.path), message: i.message })),
    );
  }
  return parsed.data;
}
