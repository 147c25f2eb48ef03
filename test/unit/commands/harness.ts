import type { CommandContext, CommandResult, CommandSpec } from '../../../commands/command.js';
import { COMMANDS } from '../../../commands/index.js';
import { parseCommand } from '../../../commands/parse.js';
import { createActionTable } from '../../../src/actions/action-table.js';
import { ACTIONS } from '../../../src/actions/index.js';
import { type Bot, createBot } from '../../../src/app/bot.js';
import { createStoreLock } from '../../../src/app/instance-lock.js';
import { checkOrigins, expectedOrigins, requireOrigins } from '../../../src/app/origins.js';
import type { Runtime } from '../../../src/app/runtime.js';
import { type Config, createConfigSchema } from '../../../src/config/schema.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { Invoker } from '../../../src/domain/roles.js';
import { createSlaPolicy } from '../../../src/domain/sla.js';
import { createRequestCounter } from '../../../src/http/counter.js';
import { silentLogger } from '../../../src/log.js';
import { createTelemetryHub } from '../../../src/ops/telemetry-hub.js';
import type { AdapterDefinition, ChatSurface, Clock, IncidentSource } from '../../../src/ports/index.js';
import { runScan } from '../../../src/scan/run-scan.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createFakeSource, type FakeSource } from '../../support/fake-source.js';

/** Mondays in March 2026; the default policy's 24×7 clock makes a high incident breach 4 h after creation. */
export const NOW = new Date('2026-03-02T18:00:00Z');
export const HOUR = 3_600_000;
export const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR);

export interface Harness {
  store: Store;
  runtime: Runtime;
  config: Config;
  sources: FakeSource[];
  /** How often the command asked the runtime for its config (the sandbox starts simulators for that). */
  configReads(): number;
  /** Stores the incidents through the real scan path, as the fake sources list them. */
  scan(...incidents: Incident[]): Promise<void>;
  close(): void;
}

/**
 * A configured runtime over an in-memory store and fake sources: what a command sees when run from a
 * config file, without vendors, simulators or files.
 */
export function createHarness(
  options: {
    sourceIds?: string[];
    disabled?: string[];
    identity?: Config['identity'];
    /** Chat surfaces the runtime offers (none by default), with the config's `routes` and `notify` for them. */
    surfaces?: ChatSurface[];
    routes?: unknown[];
    notify?: unknown;
    /** The config's `ops` section. */
    ops?: unknown;
    /** The bot's clock; fixed at NOW unless a test moves time itself. */
    clock?: Clock;
    /** An earlier harness's store, for a restart; left open when this harness closes. */
    store?: Store;
  } = {},
): Harness {
  const ids = options.sourceIds ?? ['pan-prod', 'sym-eu'];
  const surfaces = options.surfaces ?? [];
  const chatKeys = Object.fromEntries(surfaces.map((s) => [s.id, { fields: () => ({}) }]));
  const config = createConfigSchema(
    [{ vendor: 'fake', fields: () => ({}) }],
    {},
    Object.entries(chatKeys).map(([key, spec]) => ({ key, ...spec })),
  ).parse({
    identity: options.identity ?? { vendorUsers: [] },
    sources: ids.map((id) => ({ id, vendor: 'fake', enabled: !options.disabled?.includes(id) })),
    chat: Object.fromEntries(surfaces.map((s) => [s.id, {}])),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.notify ? { notify: options.notify } : {}),
    ...(options.ops ? { ops: options.ops } : {}),
  });
  const store = options.store ?? openStore(':memory:');
  const sources = ids.map((id) => createFakeSource({ id, pageSize: 50 }));
  const policy = createSlaPolicy(config.sla, config.sources);
  let configReads = 0;
  // Each fake source reads its own pretend tenant, so provenance works as it does for a real vendor.
  const fakeAdapter = { vendor: 'fake', endpoint: (c) => ({ url: `https://${c.id}.fake.example` }) } as Pick<
    AdapterDefinition,
    'vendor' | 'endpoint'
  > as AdapterDefinition;
  const origins = () => expectedOrigins(config.sources, [fakeAdapter], 'file');
  const configured = new Set(ids);
  let bot: Promise<Bot> | undefined;
  const clock: Clock = { now: () => NOW };
  const logger = silentLogger;
  const abort = new AbortController();
  // A heartbeat nobody fires: the harness runs on a fixed clock.
  const storeLock = createStoreLock({
    store: () => store,
    holder: 'harness',
    clock,
    logger,
    ticker: { every: () => () => {} },
  });
  const runtime: Runtime = {
    origin: { kind: 'file', path: '/etc/dlp-bot/dlp-bot.yaml' },
    warnings: [],
    adapters: [],
    counter: createRequestCounter(),
    telemetry: createTelemetryHub(),
    config: async () => {
      configReads += 1;
      return config;
    },
    store: () => store,
    existingStore: () => store,
    configWithoutStore: async () => config,
    policy: async () => policy,
    sources: async () => sources as IncidentSource[],
    sourceInfo: async (id) => {
      const found = sources.find((s) => s.id === id);
      return found ? { displayName: found.displayName, capabilities: found.capabilities } : null;
    },
    surfaces: async () => surfaces,
    storeLabel: './data/dlp-bot.sqlite',
    actions: () => createActionTable(ACTIONS, config.triage),
    originCheck: async () => checkOrigins(store, origins()),
    requireOrigins: async () => requireOrigins(store, origins(), './data/dlp-bot.sqlite', NOW),
    sourceScope: () => ({
      has: (id) => configured.has(id),
      leftOut: store.origins.knownSources().filter((id) => !configured.has(id)),
    }),
    sandboxDescription: async () => [],
    bot: () => {
      bot ??= createBot(runtime, { clock: options.clock ?? clock, logger });
      return bot;
    },
    hostSandbox: () => {},
    instanceId: 'harness',
    signal: abort.signal,
    abortCalls: () => abort.abort(),
    lockStore: (command) => storeLock.take(command),
    close: async () => {
      if (bot) await (await bot).stop();
      storeLock.release();
      if (!options.store) store.close();
    },
  };
  return {
    store,
    runtime,
    config,
    sources,
    configReads: () => configReads,
    async scan(...incidents) {
      for (const source of sources) source.put(...incidents.filter((i) => i.source === source.id));
      await runScan(
        { store, sources, policy, logger: silentLogger, options: { fullResyncEvery: 1, overlapMinutes: 10 } },
        NOW,
      );
    },
    close: () => store.close(),
  };
}

export const CLI_INVOKER: Invoker = { surface: 'cli', userId: 'ops', display: 'ops', email: null, role: 'admin' };

export const chatInvoker = (overrides: Partial<Invoker> = {}): Invoker => ({
  surface: 'slack',
  userId: 'U0ALICE',
  display: 'Alice',
  email: 'alice@corp.example',
  role: 'viewer',
  ...overrides,
});

export function contextFor(
  runtime: () => Runtime,
  invoker: Invoker = CLI_INVOKER,
  commands: readonly CommandSpec[] = COMMANDS,
): CommandContext {
  return {
    invoker,
    clock: { now: () => NOW },
    logger: silentLogger,
    correlationId: 'cmd-test',
    adapters: [],
    commands,
    runtime,
    progress: () => {},
    print: () => {},
    stopRequested: new Promise(() => {}),
  };
}

/** Parses `argv` exactly as the given surface would, then runs the command; a usage error throws. */
export async function runCommand(
  harness: Pick<Harness, 'runtime'>,
  argv: string[],
  invoker: Invoker = CLI_INVOKER,
  registry: readonly CommandSpec[] = COMMANDS,
): Promise<CommandResult> {
  const surface = invoker.surface === 'cli' ? 'cli' : 'chat';
  const parsed = parseCommand(registry, argv, surface === 'cli' ? 'dlp-bot' : '/dlp', surface);
  if (parsed.kind !== 'run') throw new Error(`expected ${argv.join(' ')} to run, got ${JSON.stringify(parsed)}`);
  return parsed.spec.run(
    parsed.args,
    contextFor(() => harness.runtime, invoker, registry),
  );
}

/** The rows of the view's first table, or of table number `index` (0-based). */
export function tableRows(result: CommandResult, index = 0): Record<string, string>[] {
  const tables = result.view.blocks.filter((b) => b.type === 'table');
  const table = tables[index];
  if (table?.type !== 'table') throw new Error(`no table #${index} in ${result.view.title}`);
  return table.rows;
}
