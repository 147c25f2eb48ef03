import { z } from 'zod';
import { createConfigHelpers } from '../config/helpers.js';
import { formatKeyPath } from '../config/load.js';
import type { Config, ConfigContext, Env, SourceConfig } from '../config/schema.js';
import { createConfigSchema } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { AdapterDefinition, ChatSurfaceDefinition, Clock, SimulatorHandle } from '../ports/index.js';
import type { Store } from '../store/index.js';
import { ConfigInvalidError } from './config-error.js';
import { clearSandboxJournals, openSandboxJournal } from './sandbox-journal.js';
import { createSandboxPorts } from './sandbox-ports.js';
import {
  clearRunningSandbox,
  findRunningSandbox,
  type RunningSandbox,
  recordRunningSandbox,
  runningSandboxEnv,
} from './sandbox-running.js';

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

export interface SandboxDeps {
  adapters: readonly AdapterDefinition[];
  surfaces: readonly ChatSurfaceDefinition[];
  env: Env;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Where the simulated vendors keep their triage state between runs; null keeps it in memory (a scratch store). */
  vendorStateDir: string | null;
  /** `serve`: start its own simulators and record them, so one-shot commands use them while it runs. */
  host: boolean;
}

/**
 * The no-config experience: every vendor simulator on loopback with a seeded dataset, wired through the
 * same config schema a real file goes through. The dataset's anchor time is kept in the store so that a
 * restart continues the same story (incidents keep ageing) instead of reshuffling it. There is one sandbox
 * state: a one-shot command uses the simulators of a running `serve`, and otherwise starts simulators that
 * replay the vendor state persisted from earlier runs.
 */
export async function startSandbox(deps: SandboxDeps): Promise<Sandbox> {
  const running = findRunningSandbox(deps.store, deps.logger);
  if (running && !deps.host) {
    const env = runningSandboxEnv(running, deps.logger);
    if (env) return attachedSandbox(running, env, deps);
  }
  if (running && deps.host && running.pid !== process.pid) {
    deps.logger.warn({ pid: running.pid }, 'another dlp-bot serve runs the sandbox on this store; run only one');
  }
  return ownSandbox(deps);
}

/** A one-shot command beside a running `serve`: its simulators, never closed or restarted from here. */
function attachedSandbox(running: RunningSandbox, simulatorEnv: Record<string, string>, deps: SandboxDeps): Sandbox {
  const config = sandboxConfig(
    running.sources.map((s) => s.config),
    { ...deps.env, ...simulatorEnv },
    deps,
  );
  deps.logger.info({ pid: running.pid, startedAt: running.startedAt }, 'sandbox: using the running serve');
  return {
    config,
    description: [
      `Sandbox: using the simulators of the dlp-bot serve running since ${running.startedAt} (pid ${running.pid}).`,
      `Dataset anchored at ${running.anchor}.`,
    ],
    close: async () => {},
  };
}

async function ownSandbox(deps: SandboxDeps): Promise<Sandbox> {
  const { adapters, store, clock, logger, vendorStateDir } = deps;
  const simulated = sandboxSources(adapters);
  const anchor = sandboxAnchor(
    store,
    clock.now(),
    simulated.map((s) => s.id),
    { logger, vendorStateDir },
  );
  const handles: { vendor: string; handle: SimulatorHandle }[] = [];
  const ports = createSandboxPorts(store, logger);
  try {
    for (const { id, adapter, api, index } of simulated) {
      // Each further API gets its own story, so the same incidents are not announced twice.
      const dataset = { seed: SANDBOX_SEED + index, incidents: INCIDENTS_PER_VENDOR };
      const journal = vendorStateDir
        ? openSandboxJournal(vendorStateDir, id, { anchor: anchor.toISOString(), ...dataset }, logger)
        : undefined;
      const handle = await ports.start(id, (port) =>
        adapter.startSimulator({
          ...dataset,
          port,
          anchor,
          arrivalsPerHour: ARRIVALS_PER_HOUR,
          api,
          clock,
          ...(journal ? { journal } : {}),
        }),
      );
      handles.push({ vendor: id, handle });
    }
    ports.save();
    const env = { ...deps.env, ...Object.assign({}, ...handles.map(({ handle }) => handle.env())) };
    const config = sandboxConfig(
      handles.map(({ vendor, handle }) => handle.sourceConfig(vendor)),
      env,
      deps,
    );
    if (deps.host) recordRunningSandbox(store, runningRecord(handles, anchor, clock.now()));
    logger.info({ sources: handles.map((h) => h.vendor), anchor: anchor.toISOString() }, 'sandbox started');
    return {
      config,
      description: [
        `Sandbox: no config file, so dlp-bot is running against built-in vendor simulators on loopback.`,
        `Dataset anchored at ${anchor.toISOString()} (kept in the store; a fresh one starts after 24 h).`,
        ...(vendorStateDir ? [`Vendor-side triage (assignments, notes, statuses) is kept in ${vendorStateDir}.`] : []),
        ...(deps.host
          ? ['Other dlp-bot commands in this folder (scan, show, doctor) use these simulators while this runs.']
          : []),
        ...handles.flatMap(({ vendor, handle }) => [`${vendor}:`, ...handle.describe().map((line) => `  ${line}`)]),
      ],
      close: async () => {
        if (deps.host) clearRunningSandbox(store);
        await Promise.allSettled(handles.map(({ handle }) => handle.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(handles.map(({ handle }) => handle.close()));
    throw error;
  }
}

/** What a one-shot command needs to reach each simulator: its source entry and the variables it names. */
function runningRecord(handles: readonly { vendor: string; handle: SimulatorHandle }[], anchor: Date, now: Date) {
  return {
    startedAt: now.toISOString(),
    anchor: anchor.toISOString(),
    sources: handles.map(({ vendor, handle }) => {
      const envFiles = handle.envFiles?.() ?? {};
      // A file-backed value (a private key) is recorded by its path only, never its content.
      const env = Object.fromEntries(Object.entries(handle.env()).filter(([name]) => !(name in envFiles)));
      return { id: vendor, config: handle.sourceConfig(vendor), env, envFiles };
    }),
  };
}

/** The sandbox's config object, parsed through the same schema as a file. */
function sandboxConfig(sources: readonly Record<string, unknown>[], env: Env, deps: SandboxDeps): Config {
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
    // Health and metrics on a free loopback port, which serve prints, so a newcomer can try the probes too.
    ops: { port: 0 },
    sources,
  };
  return parseConfigObject(raw, env, deps.adapters, deps.surfaces, { sandbox: true });
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
      definition: adapter,
      api,
      index,
    }));
  });
}

/**
 * A sandbox source's entry as far as it is known before any simulator starts (undefined: no such sandbox source). A
 * simulator's entry says only where it listens and with which credentials, so every other key takes its default:
 * enough for what an adapter reads from an entry without connecting (`capabilities`), never to create a source.
 */
export function plannedSandboxSource(
  adapters: readonly AdapterDefinition[],
  env: Env,
  sourceId: string,
): SourceConfig | undefined {
  const planned = sandboxSources(adapters).find((s) => s.id === sourceId);
  if (!planned) return undefined;
  const { definition, api } = planned;
  const fields = z.strictObject(definition.config.fields(createConfigHelpers(env))).partial();
  const defaults = fields.parse(api === undefined ? {} : { api });
  // Typed as a full entry, but the simulator's address and credentials are missing until it starts.
  return { ...defaults, id: sourceId, vendor: definition.vendor, enabled: true } as SourceConfig;
}

/**
 * The saved anchor, or a new one. A new dataset reuses the same incident ids with new times, so the old
 * sandbox incidents, their messages and queued announcements are forgotten first (the audit log stays), and so
 * is the vendor-side triage of the old dataset.
 */
function sandboxAnchor(
  store: Store,
  now: Date,
  sourceIds: readonly string[],
  deps: { logger: Logger; vendorStateDir: string | null },
): Date {
  const saved = store.settings.get(ANCHOR_KEY);
  const parsed = saved ? new Date(saved) : null;
  if (parsed && !Number.isNaN(parsed.getTime()) && now.getTime() - parsed.getTime() < ANCHOR_MAX_AGE_MS) {
    return parsed;
  }
  if (deps.vendorStateDir) clearSandboxJournals(deps.vendorStateDir, sourceIds);
  store.transaction(() => {
    for (const id of sourceIds) {
      const removed = store.incidents.deleteSource(id);
      store.scanState.delete(id);
      if (removed > 0) {
        deps.logger.info({ source: id, removed }, 'sandbox dataset renewed; old sandbox incidents removed');
      }
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
  context: ConfigContext = { sandbox: false },
): Config {
  const parsed = createConfigSchema(
    adapters.map((a) => a.config),
    env,
    surfaces.map((s) => s.config),
    context,
  ).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigInvalidError(
      '(sandbox)',
      parsed.error.issues.map((i) => ({ path: formatKeyPath(i.path), message: i.message })),
    );
  }
  return parsed.data;
}
