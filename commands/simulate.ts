import { stringify } from 'yaml';
import { z } from 'zod';
import type { SimulatorHandle } from '../src/ports.js';
import { positiveInt } from './args.js';
import { defineCommand } from './command.js';

const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'expected a share between 0 and 1, e.g. 0.3')
  .transform(Number);
const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);

const Args = z.object({
  _: z.array(z.string()).max(0, 'use --vendor to choose the simulator'),
  vendor: z.string({ error: 'required, e.g. --vendor paloalto (`dlp-bot simulate --help` lists the vendors)' }),
  port: z
    .string()
    .regex(/^\d+$/, 'expected a port number')
    .transform(Number)
    .pipe(z.int().max(65_535, 'expected a port number from 0 to 65535 (0 picks a free one)'))
    .optional(),
  incidents: positiveInt(1_000_000).optional(),
  seed: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).optional(),
  'breached-share': share.optional(),
  latency: wholeNumber.optional(),
  'error-rate': share.optional(),
  'rate-limit': positiveInt(100_000).optional(),
  'token-ttl': positiveInt(86_400).optional(),
  'published-limits': z.boolean().optional(),
  api: z.string().optional(),
});

/** A value as one shell word: bare when it is safe, else single-quoted. */
const shellWord = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

/**
 * The source entry and environment to paste, for every vendor from the handle's own `sourceConfig` and `env`
 * (what the sandbox and the tests run on), so the printed config is the one that works as it stands. The
 * environment is one line of NAME=value words, to put before `dlp-bot serve` or after `export`.
 */
function pasteableConfig(handle: SimulatorHandle, id: string): string[] {
  const entry = stringify({ sources: [handle.sourceConfig(id)] })
    .trimEnd()
    .split('\n');
  const files = handle.envFiles?.() ?? {};
  const env = Object.entries(handle.env()).map(([name, value]) => {
    const file = files[name];
    return file ? `${name}="$(cat ${shellWord(file)})"` : `${name}=${shellWord(value)}`;
  });
  return ['  dlp-bot.yaml:', ...entry.map((line) => `    ${line}`), `  environment:  ${env.join(' ')}`];
}

export default defineCommand({
  name: 'simulate',
  summary: "Run a vendor's API simulator on loopback (for trying dlp-bot or testing your own tooling)",
  usage: '--vendor <v> [--api A] [--port P] [--incidents N] [--seed S] [--breached-share R] [fault knobs]',
  details: [
    '--vendor V           which vendor API to simulate: paloalto, symantec, skyhigh, zscaler or symphony',
    '--api A              paloalto only: seed (default) or published, the API to print a config for',
    '--port P             listen on 127.0.0.1:P (default: a free port)',
    '--incidents N        how many incidents to seed (default 200)',
    '--seed S             dataset seed; the same seed gives the same incidents (default 42)',
    '--breached-share R   share of open incidents already past their SLA, 0..1 (default 0.3)',
    'Fault knobs, for trying how a client copes:',
    '--latency MS         delay every API request by MS milliseconds',
    '--error-rate R       answer this share (0..1) of API requests with 500',
    '--rate-limit N       allow N requests a minute; the next gets 429 with Retry-After',
    "--token-ttl S        issued tokens expire after S seconds (default: the vendor's own)",
    "--published-limits   enforce the vendor's published rate limits (429 with Retry-After past them)",
  ],
  examples: [
    'dlp-bot simulate --vendor paloalto --port 4010',
    'dlp-bot simulate --vendor paloalto --incidents 5000 --error-rate 0.2 --rate-limit 60 --token-ttl 120',
  ],
  options: {
    vendor: { type: 'string' },
    port: { type: 'string' },
    incidents: { type: 'string' },
    seed: { type: 'string' },
    'breached-share': { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    'rate-limit': { type: 'string' },
    'token-ttl': { type: 'string' },
    'published-limits': { type: 'boolean' },
    api: { type: 'string' },
  },
  args: Args,
  role: 'admin',
  surfaces: ['cli'],
  async run(args, ctx) {
    const simulated = ctx.adapters.filter((a) => a.startSimulator);
    const adapter = simulated.find((a) => a.vendor === args.vendor);
    if (!adapter?.startSimulator) {
      return {
        view: {
          title: `No simulator for "${args.vendor}"`,
          tone: 'danger',
          blocks: [{ type: 'text', text: `Available: ${simulated.map((a) => a.vendor).join(', ')}` }],
        },
        exitCode: 2,
      };
    }
    if (args.api !== undefined && !adapter.apis?.includes(args.api)) {
      const known = adapter.apis?.length ? `one of ${adapter.apis.join(', ')}` : 'not an option (it has one API)';
      return {
        view: {
          title: `--api for ${adapter.vendor} is ${known}`,
          tone: 'danger',
          blocks: [{ type: 'text', text: `Got "${args.api}".` }],
        },
        exitCode: 2,
      };
    }
    const handle = await adapter.startSimulator({
      port: args.port,
      seed: args.seed ?? 42,
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
      ctx.print({
        title: `${adapter.displayName} simulator running. Ctrl-C to stop.`,
        tone: 'good',
        blocks: [{ type: 'text', text: [...handle.describe(), ...pasteableConfig(handle, adapter.vendor)].join('\n') }],
      });
      await ctx.stopRequested;
    } finally {
      await handle.close();
    }
    return { view: { title: 'Simulator stopped', tone: 'neutral', blocks: [] } };
  },
});
