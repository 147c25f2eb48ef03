import { readFileSync } from 'node:fs';

/** What `dlp-bot simulate` printed to paste: the source entry and the environment it names. */
export interface PrintedConfig {
  /** The whole `dlp-bot.yaml:` block, unindented (`sources:` and the one entry). */
  yaml: string;
  /** The entry's lines under `sources:`, as they go into a file's `sources:` list. */
  entry: string[];
  env: Record<string, string>;
}

/** Reads the block as a person copies it; a `"$(cat FILE)"` value is read from that file, as the shell would. */
export function readPrintedConfig(stdout: string): PrintedConfig {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => l.trim() === 'dlp-bot.yaml:');
  const to = lines.findIndex((l) => l.trim().startsWith('environment:'));
  if (from < 0 || to < from) throw new Error(`no dlp-bot.yaml block and environment line printed:\n${stdout}`);
  const block = lines.slice(from + 1, to).map((l) => l.replace(/^ {4}/, ''));
  const line = (lines[to] ?? '').replace(/^\s*environment:\s*/, '');
  const words = line.matchAll(/(\w+)=("\$\(cat [^)]+\)"|'[^']*'|\S+)/g);
  const env = Object.fromEntries(
    [...words].map(([, name = '', value = '']) => {
      const file = /^"\$\(cat (.+)\)"$/.exec(value)?.[1];
      // Command substitution drops trailing newlines.
      return [name, file ? readFileSync(file, 'utf8').replace(/\n+$/, '') : value.replace(/^'(.*)'$/, '$1')];
    }),
  );
  return { yaml: block.join('\n'), entry: block.filter((l) => l !== 'sources:'), env };
}
