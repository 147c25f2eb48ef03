import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The flags that apply to every command, read before a command is chosen, and the version they may ask for. */

/** Pulls `--config FILE` / `--config=FILE` out of argv wherever it appears; it applies to every command. */
export function extractConfigFlag(argv: readonly string[]): { configFlag?: string; rest: string[]; error?: string } {
  const rest: string[] = [];
  let configFlag: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--config') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) return { rest, error: '--config needs a file path' };
      configFlag = value;
      i += 1;
    } else if (arg.startsWith('--config=')) configFlag = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { configFlag, rest };
}

/** Pulls `--verbose` / `-v` out of argv wherever it appears: like `--config`, it applies to every command. */
export function extractVerboseFlag(argv: readonly string[]): { verbose: boolean; rest: string[] } {
  const rest = argv.filter((arg) => arg !== '--verbose' && arg !== '-v');
  return { verbose: rest.length < argv.length, rest };
}

/** `--version` as most command lines spell it; `-V` as commander does, leaving `-v` free to mean verbose. */
export const VERSION_FLAGS = ['--version', '-V'];

/**
 * The version in our package.json, read only when asked. This file runs as src/cli.ts (tests) and as
 * dist/src/cli.js (the executable), so the file is looked for up the folders rather than at a fixed path.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dlp-sla-bot' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
