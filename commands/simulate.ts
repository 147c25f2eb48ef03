import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadYaml } from '../src/config/yaml.js';
import type { AdapterDefinition, SimulatorHandle } from '../src/ports/index.js';
import type { View } from '../src/views/view.js';
import { positiveInt } from './args.js';
import { defineCommand } from './command.js';

const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a share between 0 and 1, e.g. 0.3')
  .transform(Number);
const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);

const Args = z.object({
  _: z.array(z.string()).max(0, 'use --vendor to choose the simulator'),
  vendor: z.string().optional(),
  port: z
    .string()
    .regex(/^\d+$/, 'expected a port number')
    .transform(Number)
    .pipe(z.int().max(65_535, 'expected a port number from 0 to 65535 (0 picks a free one)'))
    .optional(),
  incidents: positiveInt(1_000_000).optional(),
  seed: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).optional(),
  anchor: z.iso
    .datetime({ offset: true, error: 'expected an ISO 8601 time, e.g. 2026-12-01T09:00:00Z' })
    .transform((text) => new Date(text))
    .optional(),
  'breached-share': share.optional(),
  latency: wholeNumber.optional(),
  'error-rate': share.optional(),
  'rate-limit': positiveInt(100_000).optional(),
  'token-ttl': positiveInt(86_400).optional(),
  'published-limits': z.boolean().optional(),
  api: z.string().optional(),
  'write-config': z.string().min(1, 'expected a file name, e.g. --write-config simulate.yaml').optional(),
});

/** A value as one shell word: bare when it is safe, else single-quoted. */
const shellWord = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

/** The environment the config names, as NAME=value words to put before `dlp-bot …` or after `export`. */
function environmentWords(handle: SimulatorHandle): string {
  const files = handle.envFiles?.() ?? {};
  return Object.entries(handle.env())
    .map(([name, value]) => {
      const file = files[name];
      return file ? `${name}="$(cat ${shellWord(file)})"` : `${name}=${shellWord(value)}`;
    })
    .join(' ');
}

/**
 * A complete config file for this simulator, from the handle's own `sourceConfig` (what the sandbox and the tests
 * run on), so it works as it stands. Its store is its own: the simulator's incidents are throwaway and must not
 * land in a real deployment's store kept in the same folder.
 */
function simulatorConfigFile(
  handle: SimulatorHandle,
  adapter: { vendor: string; displayName: string; apis?: readonly string[] | undefined },
  api: string | undefined,
) {
  const other = api !== undefined && api !== adapter.apis?.[0];
  const store = `./data/simulate-${adapter.vendor}${other ? `-${api}` : ''}.sqlite`;
  const body = loadYaml().stringify({
    store: { path: store },
    chat: { console: { enabled: true } },
    sources: [handle.sourceConfig(adapter.vendor)],
  });
  return [
    `# dlp-bot config for the ${adapter.displayName} simulator started by \`dlp-bot simulate\`.`,
    '# It points at that run only: the port changes each time. The credentials come from the environment line',
    '# printed with it; the store path is relative to this file. config.example.yaml documents the other keys.',
    body,
  ].join('\n');
}

/** The lines after the simulator's description: the config (or where it was written), its environment, the way in. */
function configLines(configText: string, env: string, written: string | undefined): string[] {
  const file = written ?? 'simulate.yaml';
  const run = `${env} dlp-bot scan --config ${shellWord(file)}`;
  if (written !== undefined) {
    return [`  config:       written to ${file}`, `  environment:  ${env}`, `  try it:       ${run}`];
  }
  return [
    '  config:       a complete config file for this simulator:',
    ...configText
      .trimEnd()
      .split('\n')
      .map((line) => `    ${line}`),
    `  environment:  ${env}`,
    `  try it:       save the config above as ${file} (or start with --write-config ${file}), then`,
    `                ${run}`,
  ];
}

/** Creates `file` with `text`, never replacing one: a config someone wrote by hand must not be lost to a demo. */
function writeNewFile(file: string, text: string): string | null {
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EEXIST' ? `${file} already exists; choose another name or remove it` : String(error);
  }
}

/** What `--vendor` takes, straight from the registered adapters: each vendor with a simulator, and its APIs. */
function simulatorList(adapters: readonly AdapterDefinition[]): View {
  return {
    title: `${adapters.length} vendor simulators; start one with dlp-bot simulate --vendor V`,
    tone: 'neutral',
    blocks: [
      {
        type: 'table',
        columns: [
          { key: 'vendor', label: 'Vendor' },
          { key: 'name', label: 'Name' },
          { key: 'apis', label: '--api (default first)' },
        ],
        rows: adapters.map((a) => ({ vendor: a.vendor, name: a.displayName, apis: a.apis?.join(', ') ?? '' })),
      },
    ],
  };
}

const refuse = (title: string, text: string) => ({
  view: { title, tone: 'danger' as const, blocks: [{ type: 'text' as const, text }] },
  exitCode: 2,
});

export default defineCommand({
  name: 'simulate',
  summary: "Run a vendor's API simulator on loopback (for trying dlp-bot or testing your own tooling)",
  usage:
    '--vendor <v> [--api A] [--port P] [--incidents N] [--seed S] [--anchor T] [--breached-share R] [--write-config F] [fault knobs]',
  details: [
    '--vendor V           which vendor API to simulate; without it, the vendors it can simulate are listed',
    '--api A              for a vendor with more than one API (the list names them): the one to print a config for',
    '--port P             listen on 127.0.0.1:P (default: a free port)',
    '--incidents N        how many incidents to seed (default 200)',
    '--seed S             dataset seed; the same seed gives the same incidents, aged from the start (default 42)',
    "--anchor T           the dataset's now (ISO 8601, not in the future; default the start): with the same seed and",
    "                     anchor every start serves the same ids and times, Symphony's too (its ids end in their time)",
    '--breached-share R   share of open incidents already past their SLA, 0..1 (default 0.3)',
    'Fault knobs, for trying how a client copes:',
    '--latency MS         delay every API request by MS milliseconds',
    '--error-rate R       answer this share (0..1) of API requests with 500',
    '--rate-limit N       allow N requests a minute; the next gets 429 with Retry-After',
    "--token-ttl S        issued tokens expire after S seconds (default: the vendor's own)",
    "--published-limits   enforce the vendor's published rate limits (429 with Retry-After past them)",
    'It prints a complete config file for itself, the environment that file names, and the line that scans it.',
    '--write-config F     write that config file to F instead of printing it (never replaces an existing file)',
  ],
  examples: [
    'dlp-bot simulate --vendor paloalto --port 4010',
    'dlp-bot simulate --vendor symantec --write-config simulate.yaml',
    'dlp-bot simulate --vendor paloalto --incidents 5000 --error-rate 0.2 --rate-limit 60 --token-ttl 120',
  ],
  options: {
    vendor: { type: 'string' },
    port: { type: 'string' },
    incidents: { type: 'string' },
    seed: { type: 'string' },
    anchor: { type: 'string' },
    'breached-share': { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    'rate-limit': { type: 'string' },
    'token-ttl': { type: 'string' },
    'published-limits': { type: 'boolean' },
    api: { type: 'string' },
    'write-config': { type: 'string' },
  },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const simulated = ctx.adapters.filter((a) => a.startSimulator);
    if (args.vendor === undefined) return { view: simulatorList(simulated) };
    const adapter = simulated.find((a) => a.vendor === args.vendor);
    if (!adapter?.startSimulator) {
      return refuse(`No simulator for "${args.vendor}"`, `Available: ${simulated.map((a) => a.vendor).join(', ')}`);
    }
    if (args.api !== undefined && !adapter.apis?.includes(args.api)) {
      const known = adapter.apis?.length ? `one of ${adapter.apis.join(', ')}` : 'not an option (it has one API)';
      return refuse(`--api for ${adapter.vendor} is ${known}`, `Got "${args.api}".`);
    }
    if (args.anchor && args.anchor.getTime() > ctx.clock.now().getTime()) {
      return refuse('--anchor is in the future', `Got ${args.anchor.toISOString()}; the dataset's now must have come.`);
    }
    const target = args['write-config'];
    const targetPath = target === undefined ? undefined : resolve(ctx.cwd ?? '.', target);
    // Checked before the simulator starts, so a refusal costs nothing; the write itself also refuses to replace.
    if (targetPath !== undefined && existsSync(targetPath)) {
      return refuse(
        `--write-config: ${target} already exists`,
        'Choose another name or remove it; it is never replaced.',
      );
    }
    const handle = await adapter.startSimulator({
      port: args.port,
      seed: args.seed ?? 42,
      anchor: args.anchor,
      incidents: args.incidents ?? 200,
      breachedShare: args['breached-share'],
      faults: {
        latencyMs: args.latency,
        errorRate: args['error-rate'],
        limitPerMinute: args['rate-limit'],
        tokenTtlSec: args['token-ttl'],
        publishedLimits: args['published-limits'],
      },
      api: args.api,
      clock: ctx.clock,
    });
    try {
      const configText = simulatorConfigFile(handle, adapter, args.api);
      const failed = target !== undefined && targetPath !== undefined ? writeNewFile(targetPath, configText) : null;
      if (failed) return refuse(`--write-config: ${failed}`, 'The simulator stopped; nothing was written.');
      const lines = configLines(configText, environmentWords(handle), target);
      ctx.print({
        title: `${adapter.displayName} simulator running. Ctrl-C to stop.`,
        tone: 'good',
        blocks: [{ type: 'text', text: [...handle.describe(), ...lines].join('\n') }],
      });
      await ctx.stopRequested;
    } finally {
      await handle.close();
    }
    return { view: { title: 'Simulator stopped', tone: 'neutral', blocks: [] } };
  },
});
