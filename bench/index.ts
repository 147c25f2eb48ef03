/**
 * Benchmark dispatcher: `node dist/bench/index.js <benchmark> [flags]` (or `npm run bench -- <benchmark>`).
 * Prints one JSON object on stdout and nothing else; progress and problems go to stderr.
 * Exit codes: 0 ok, 1 the benchmark ran but a check failed, 2 bad usage.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARKS, UsageError } from './registry.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  vendor: { type: 'string' },
  incidents: { type: 'string' },
  'page-size': { type: 'string' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  rescan: { type: 'boolean' },
  clicks: { type: 'string' },
  concurrency: { type: 'string' },
  latency: { type: 'string' },
  connections: { type: 'string' },
  hours: { type: 'string' },
  arrivals: { type: 'string' },
  size: { type: 'string' },
  steps: { type: 'string' },
  'snippet-mb': { type: 'string' },
  bin: { type: 'string' },
  baseline: { type: 'string' },
  trials: { type: 'string' },
  scopes: { type: 'string' },
  assignment: { type: 'string' },
} as const;

function usage(): string {
  const lines = ['Usage: npm run bench -- <benchmark> [flags]   (or node dist/bench/index.js <benchmark> [flags])', ''];
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    lines.push(`${name}: ${bench.summary}`, ...bench.usage.map((line) => (line ? `  ${line}` : '')), '');
  }
  lines.push('Prints one JSON object on stdout. Exit 0 ok, 1 a check failed, 2 bad usage.');
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) {
    process.stderr.write(`bench: name a benchmark\n\n${usage()}`);
    return 2;
  }
  const bench = BENCHMARKS[name];
  if (!bench) {
    process.stderr.write(`bench: unknown benchmark "${name}" (known: ${Object.keys(BENCHMARKS).join(', ')})\n`);
    return 2;
  }
  if (extra.length > 0) {
    process.stderr.write(`bench: unexpected argument(s): ${extra.join(' ')}\n`);
    return 2;
  }
  try {
    const { report, exitCode } = await bench.run(values, fileURLToPath(import.meta.url));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (exitCode !== 0) process.stderr.write(`bench: ${name} finished, but a source failed or a check is false\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`bench: ${name} could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
