import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { createActionTable } from '../actions/action-table.js';
import { ACTIONS } from '../actions/index.js';
import type { Config, SourceConfig } from '../config/schema.js';
import { TriageConfig } from '../config/triage-schema.js';
import { createSlaPolicy } from '../domain/sla.js';
import { SlaConfig } from '../domain/sla-config.js';
import { createRequestCounter } from '../http/counter.js';
import { createTelemetryHub } from '../ops/telemetry-hub.js';
import type { ActionTable } from '../ports/actions.js';
import type { AdapterDefinition, ChatSurface, IncidentSource, SourceInfo } from '../ports/index.js';
import { openStore, type Store } from '../store/index.js';
import type { Bot } from './bot.js';
import { ConfigInvalidError } from './config-error.js';
import { egressOnce } from './egress.js';
import { createStoreLock } from './instance-lock.js';
import { checkOrigins, expectedOrigins, requireOrigins } from './origins.js';
import type { Runtime, RuntimeOptions } from './runtime-contract.js';
import { plannedSandboxSource, SANDBOX_STORE_PATH, type Sandbox, startSandbox } from './sandbox.js';
import { vendorStateDir } from './sandbox-journal.js';

// The contract lives in its own file so this one holds only how it is built.
export type { Runtime, RuntimeOptions, SourceScope } from './runtime-contract.js';

/** Throws ConfigInvalidError when a config file exists but is unusable; never falls back to the sandbox then. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { adapters, env, logger, clock, load } = options;
  if (load.kind === 'invalid') throw new ConfigInvalidError(load.path, load.problems);
  const fileConfig = load.kind === 'file' ? load.config : null;
  const telemetry = createTelemetryHub();
  const counter = createRequestCounter((source, _kind, outcome) => telemetry.vendorRequest(source, outcome));
  const storePath =
    load.kind === 'file'
      ? resolve(dirname(load.path), load.config.store.path)
      : resolve(options.cwd, SANDBOX_STORE_PATH);

  const insideCwd = relative(options.cwd, storePath);
  const storeLabel = insideCwd.startsWith('..') || insideCwd === '' ? storePath : `.${sep}${insideCwd}`;

  let store: Store | undefined;
  let sandbox: Promise<Sandbox> | undefined;
  let sources: Promise<IncidentSource[]> | undefined;
  let surfaces: ChatSurface[] | undefined;
  let hostsSandbox = false;
  let bot: Promise<Bot> | undefined;
  let actionTable: ActionTable | undefined;
  const egress = egressOnce(env, logger);
  const instanceId = randomUUID();
  const abort = new AbortController();

  const getStore = () => {
    store ??= openStore(storePath);
    return store;
  };
  const storeLock = createStoreLock({ store: getStore, holder: instanceId, clock, logger });
  const storeExists = () => store !== undefined || existsSync(storePath);
  const getSandbox = () => {
    sandbox ??= startSandbox({
      adapters,
      surfaces: options.surfaces,
      env,
      store: getStore(),
      clock,
      logger,
      vendorStateDir: vendorStateDir(storePath),
      host: hostsSandbox,
    });
    return sandbox;
  };
  const config = async (): Promise<Config> => fileConfig ?? (await getSandbox()).config;
  const adapterFor = (vendor: string) => {
    const adapter = adapters.find((a) => a.vendor === vendor);
    if (!adapter) throw new Error(`no adapter registered for vendor "${vendor}"`);
    return adapter;
  };

  const runtime: Runtime = {
    origin: load.kind === 'file' ? { kind: 'file', path: load.path } : { kind: 'sandbox' },
    warnings: load.kind === 'file' ? load.warnings : [],
    adapters,
    counter,
    telemetry,
    config,
    store: getStore,
    existingStore: () => (storeExists() ? getStore() : null),
    async configWithoutStore() {
      if (fileConfig || storeExists()) return config();
      const scratch = openStore(':memory:');
      try {
        const planned = await startSandbox({
          adapters,
          surfaces: options.surfaces,
          env,
          store: scratch,
          clock,
          logger,
          vendorStateDir: null,
          host: false,
        });
        await planned.close();
        return planned.config;
      } finally {
        scratch.close();
      }
    },
    // The sandbox has no SLA overrides, so its policy needs no simulators: store-only commands stay fast.
    policy: async () =>
      fileConfig ? createSlaPolicy(fileConfig.sla, fileConfig.sources) : createSlaPolicy(SlaConfig.parse({}), []),
    sources: () => {
      sources ??= config().then((c) =>
        c.sources
          .filter((s) => s.enabled)
          .map((s) =>
            adapterFor(s.vendor).create(s, {
              logger: logger.child({ source: s.id }),
              counter,
              clock,
              // The sandbox's sources are its own loopback simulators: a proxy could not reach them.
              ...(fileConfig ? egress() : {}),
              signal: abort.signal,
            }),
          ),
      );
      return sources;
    },
    async sourceInfo(sourceId) {
      if (!sources) {
        // Before any source exists the adapter reads the entry, so `show` starts no simulator and opens no connection.
        const entries = fileConfig?.sources ?? (sandbox ? (await sandbox).config.sources : null);
        const entry = entries ? entries.find((s) => s.id === sourceId) : plannedSandboxSource(adapters, env, sourceId);
        if (!entry?.enabled) return null;
        const info = infoFromEntry(adapterFor(entry.vendor), entry);
        if (info) return info;
      }
      const found = (await runtime.sources()).find((s) => s.id === sourceId);
      return found ? { displayName: found.displayName, capabilities: found.capabilities } : null;
    },
    async surfaces() {
      if (!surfaces) {
        const c = await config();
        const created = await Promise.all(
          options.surfaces.map((def) =>
            def.create(c.chat[def.config.key], {
              logger: logger.child({ surface: def.id }),
              clock,
              sendTimer: options.sendTimer,
              answerDeadline: options.answerDeadline,
              store: getStore,
              ...egress(),
              telemetry,
            }),
          ),
        );
        // A concurrent first call may have finished meanwhile: keep its surfaces, so every caller shares one set.
        surfaces ??= created.filter((s): s is ChatSurface => s !== null);
      }
      return surfaces;
    },
    storeLabel,
    actions() {
      actionTable ??= createActionTable(options.actions ?? ACTIONS, fileConfig?.triage ?? TriageConfig.parse({}));
      return actionTable;
    },
    async originCheck() {
      const opened = runtime.existingStore();
      if (!opened) return null;
      const configured = (await config()).sources;
      return checkOrigins(opened, expectedOrigins(configured, adapters, runtime.origin.kind));
    },
    async requireOrigins() {
      const expected = expectedOrigins((await config()).sources, adapters, runtime.origin.kind);
      requireOrigins(getStore(), expected, storeLabel, clock.now());
    },
    sourceScope() {
      if (!fileConfig) return { has: () => true, leftOut: [] };
      const configured = new Set(fileConfig.sources.map((s) => s.id));
      const known = runtime.existingStore()?.origins.knownSources() ?? [];
      return { has: (source) => configured.has(source), leftOut: known.filter((id) => !configured.has(id)) };
    },
    sandboxDescription: async () => (fileConfig ? [] : (await getSandbox()).description),
    hostSandbox: () => {
      hostsSandbox = true;
    },
    instanceId,
    signal: abort.signal,
    abortCalls: () => abort.abort(),
    lockStore: (command) => storeLock.take(command),
    bot() {
      bot ??= import('./bot.js').then(({ createBot }) =>
        createBot(runtime, { clock, logger, timer: options.sendTimer, trigger: options.jobTrigger }),
      );
      return bot;
    },
    async close() {
      if (bot) await (await bot.catch(() => null))?.stop();
      storeLock.release();
      const opened = sources ? await sources.catch(() => []) : [];
      await Promise.allSettled(opened.map((s) => s.close()));
      if (sandbox) await (await sandbox.catch(() => null))?.close();
      store?.close();
      store = undefined;
    },
  };
  return runtime;
}

/** What an adapter says about a source from its entry alone; undefined when the adapter cannot say. */
function infoFromEntry(adapter: AdapterDefinition, entry: SourceConfig): SourceInfo | undefined {
  if (!adapter.capabilities) return undefined;
  return { displayName: adapter.displayName, capabilities: adapter.capabilities(entry) };
}
