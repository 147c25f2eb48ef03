import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** What `dlp-bot simulate` printed for a person to use: the config file, the environment it names, the way in. */
export interface PrintedConfig {
  /** The complete config file: the block printed under `config:`, or the file `--write-config` wrote. */
  yaml: string;
  /** Its source entry as the lines that go under `sources:` in another file. */
  entry: string[];
  env: Record<string, string>;
  /** The printed command line that scans with it, as the arguments after `dlp-bot` (environment words left out). */
  tryIt: string[];
  /** The file `--write-config` wrote, as printed (relative to simulate's working directory), if it wrote one. */
  written?: string;
}

/**
 * Reads the output as a person uses it; a `"$(cat FILE)"` value is read from that file, as the shell would.
 * `cwd` is simulate's working directory, where a `--write-config` file was written.
 */
export function readPrintedConfig(stdout: string, cwd = '.'): PrintedConfig {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => /^\s*config:/.test(l));
  const to = lines.findIndex((l) => /^\s*environment:/.test(l));
  const tryLine = lines.slice(to).findLast((l) => / dlp-bot scan /.test(l));
  if (from < 0 || to < from || !tryLine) throw new Error(`no config, environment and try-it lines printed:\n${stdout}`);
  const written = /written to (.+)$/.exec(lines[from] ?? '')?.[1];
  const yaml = written
    ? readFileSync(join(cwd, written), 'utf8')
    : lines
        .slice(from + 1, to)
        .map((l) => l.replace(/^ {4}/, ''))
        .join('\n');
  const entry = stringify({ sources: (parse(yaml) as { sources: unknown[] }).sources })
    .trimEnd()
    .split('\n')
    .slice(1);
  return {
    yaml,
    entry,
    env: shellEnvironment((lines[to] ?? '').replace(/^\s*environment:\s*/, '')),
    tryIt: (tryLine.split(' dlp-bot ')[1] ?? '').trim().split(/\s+/),
    ...(written ? { written } : {}),
  };
}

function shellEnvironment(line: string): Record<string, string> {
  const words = line.matchAll(/(\w+)=("\$\(cat [^)]+\)"|'[^']*'|\S+)/g);
  return Object.fromEntries(
    [...words].map(([, name = '', value = '']) => {
      const file = /^"\$\(cat (.+)\)"$/.exec(value)?.[1];
      // Command substitution drops trailing newlines.
      return [name, file ? readFileSync(file, 'utf8').replace(/\n+$/, '') : value.replace(/^'(.*)'$/, '$1')];
    }),
  );
}
