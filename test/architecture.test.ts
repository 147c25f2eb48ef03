import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, dynamic, type-only, re-export) of a file, resolved to a repo path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specifiers.map((s) => relative(root, resolve(dirname(file), s)));
}

const top = (path: string) => path.split('/')[0];

/** Chat platform SDKs: seconds of start-up between them, so only a switched-on Slack or Teams surface loads them. */
const CHAT_SDK_PREFIXES = ['@slack/', '@microsoft/', 'botbuilder', 'botframework-', '@azure/', 'msal', 'openai'];

/**
 * Packages tens of ms to load that many commands never use: loaded (createRequire, or `import()` of the module that
 * needs them) where first needed. prom-client only when serve's ops listener starts.
 */
const LOADED_ON_FIRST_USE = ['undici', 'yaml', 'pino-pretty', 'node-cron', 'prom-client'];

/**
 * Every module a file loads when it is imported: `import … from`, `import '…'` and `export … from`, but not
 * `import type`/`export type` (erased) nor `import()` (loaded when that code runs). With verbatimModuleSyntax an
 * `import { type A }` stays in the output as `import {}`, so it still counts.
 */
function staticImportsOf(file: string): { relative: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const statements = text.matchAll(/^\s*(?:import|export)\s+(type\s)?(?:[^;'"=()]*?\sfrom\s*)?['"]([^'"]+)['"]/gm);
  const loaded = [...statements].filter((m) => m[1] === undefined).map((m) => m[2] ?? '');
  return {
    relative: loaded
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(root, resolve(dirname(file), s.replace(/\.js$/, '.ts')))),
    packages: loaded.filter((s) => !s.startsWith('.') && !s.startsWith('node:')),
  };
}

/** The files `entries` load before any of their code runs, each with the chain of imports that reaches it. */
function staticGraphFrom(...entries: string[]): Map<string, { chain: string[]; packages: string[] }> {
  const graph = new Map<string, { chain: string[]; packages: string[] }>();
  const visit = (file: string, chain: string[]) => {
    if (graph.has(file)) return;
    const imports = staticImportsOf(join(root, file));
    graph.set(file, { chain, packages: imports.packages });
    for (const next of imports.relative) visit(next, [...chain, next]);
  };
  for (const entry of entries) visit(entry, [entry]);
  return graph;
}

/** The modules a file loads with `import('./…')` when that code runs. */
function dynamicImportsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((m) =>
    relative(root, resolve(dirname(join(root, file)), (m[1] ?? '').replace(/\.js$/, '.ts'))),
  );
}

/** What `dlp-bot <command>` loads before the command runs: the CLI, then what it imports once the line parsed. */
const COMMAND_START = ['src/cli.ts', ...dynamicImportsOf('src/cli.ts')];

/**
 * What `--help`, `--version` and a usage error must not load (the static graph of src/cli.ts): the composition root
 * and everything only running a command needs. Each costs tens of ms of start-up (see docs/benchmarks.md, "cli").
 */
const NOT_FOR_HELP = [
  'src/main.ts',
  'adapters/dlp/',
  'adapters/chat/slack/',
  'adapters/chat/teams/',
  'src/app/runtime.ts',
  'src/config/load.ts',
  'src/config/schema.ts',
  'src/store/',
  'src/log.ts',
  'src/scan/',
  'src/jobs/',
  'src/delivery/',
  'src/http/',
  'src/domain/sla',
  'src/domain/calendar.ts',
  'src/digest/',
  'src/cards/',
];

/** Packages `--help` must not load either: time zones, logging and SQLite are for running a command. */
const PACKAGES_NOT_FOR_HELP = ['luxon', 'pino', 'better-sqlite3'];

/** Simulators, their datasets and the sandbox's start-up: loaded when the sandbox or `simulate` starts one. */
const isSimulatorCode = (file: string) =>
  /^adapters\/dlp\/(simulator-kit\/|[^/]+\/(sandbox|simulator|dataset)(\.ts|\/))/.test(file);

describe('architecture', () => {
  it('should keep the core (src/) free of adapters/ and commands/, except the composition root', () => {
    const allowed = new Set(['src/main.ts', 'src/cli.ts']);
    const violations = sourceFiles(join(root, 'src'))
      .filter((file) => !allowed.has(relative(root, file)))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => top(target) === 'adapters' || top(target) === 'commands')
          .map((target) => `${relative(root, file)} -> ${target}`),
      );
    expect(violations).toEqual([]);
  });

  it('should let commands/ import only src/ and commands/', () => {
    const violations = sourceFiles(join(root, 'commands')).flatMap((file) =>
      importsOf(file)
        .filter((target) => !['src', 'commands'].includes(top(target) ?? ''))
        .map((target) => `${relative(root, file)} -> ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('should never import one vendor adapter from another', () => {
    const vendors = readdirSync(join(root, 'adapters/dlp')).filter(
      (name) => statSync(join(root, 'adapters/dlp', name)).isDirectory() && name !== 'simulator-kit',
    );
    const violations = vendors.flatMap((vendor) =>
      sourceFiles(join(root, 'adapters/dlp', vendor)).flatMap((file) =>
        importsOf(file)
          .filter((target) => target.startsWith('adapters/dlp/') && !target.startsWith(`adapters/dlp/${vendor}/`))
          .filter((target) => !target.startsWith('adapters/dlp/simulator-kit/'))
          .map((target) => `${relative(root, file)} -> ${target}`),
      ),
    );
    expect(violations).toEqual([]);
  });

  it('should load no chat SDK when a command starts: only a switched-on Slack or Teams surface imports one', () => {
    const graph = staticGraphFrom(...COMMAND_START);
    const violations = [...graph.values()].flatMap(({ chain, packages }) =>
      packages
        .filter((pkg) => CHAT_SDK_PREFIXES.some((prefix) => pkg.startsWith(prefix)))
        .map((pkg) => `${chain.join(' > ')} imports ${pkg}`),
    );
    // The walk itself must work: a command reaches the commands, the vendor adapters and both surfaces' config.
    expect(graph.has('commands/index.ts')).toBe(true);
    expect(graph.has('adapters/dlp/index.ts')).toBe(true);
    expect(graph.has('adapters/chat/slack/config.ts')).toBe(true);
    expect(graph.has('adapters/chat/teams/config.ts')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('should load undici, yaml, pino-pretty, node-cron and prom-client on first use, not when a command starts', () => {
    const violations = [...staticGraphFrom(...COMMAND_START).values()].flatMap(({ chain, packages }) =>
      packages.filter((pkg) => LOADED_ON_FIRST_USE.includes(pkg)).map((pkg) => `${chain.join(' > ')} imports ${pkg}`),
    );
    expect(violations).toEqual([]);
  });

  it('should answer --help from the command registry alone, without the composition root, store or runtime', () => {
    const graph = staticGraphFrom('src/cli.ts');
    const violations = [...graph.entries()].flatMap(([file, { chain, packages }]) => [
      ...(NOT_FOR_HELP.some((prefix) => file.startsWith(prefix)) ? [chain.join(' > ')] : []),
      ...packages
        .filter((pkg) => PACKAGES_NOT_FOR_HELP.includes(pkg))
        .map((pkg) => `${chain.join(' > ')} imports ${pkg}`),
    ]);
    expect(graph.has('commands/index.ts')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('should load a vendor simulator only when the sandbox or simulate starts one', () => {
    const graph = staticGraphFrom(...COMMAND_START);
    const violations = [...graph.entries()]
      .filter(([file]) => isSimulatorCode(file))
      .map(([, { chain }]) => chain.join(' > '));
    // The pattern must match what it guards: what each adapter's sandbox start loads is simulator code.
    const vendors = readdirSync(join(root, 'adapters/dlp')).filter((name) =>
      existsSync(join(root, 'adapters/dlp', name, 'sandbox.ts')),
    );
    const started = [...staticGraphFrom(...vendors.map((v) => `adapters/dlp/${v}/sandbox.ts`)).keys()];
    expect(vendors.length).toBeGreaterThanOrEqual(5);
    expect(started.filter(isSimulatorCode).length).toBeGreaterThan(vendors.length * 5);
    expect(violations).toEqual([]);
  });

  it("should load a vendor's client, response schemas, paging and mapping only when one of its sources makes a call", () => {
    const graph = staticGraphFrom(...COMMAND_START);
    // A command reads each adapter's definition (config schema, capabilities); its calls load with the first one.
    const violations = [...graph.entries()]
      .filter(([file]) => /^adapters\/dlp\/[^/]+\/(.+\/)?(source|client|schema|list|map|triage)\.ts$/.test(file))
      .map(([, { chain }]) => chain.join(' > '));
    expect(graph.has('adapters/dlp/symantec/config.ts')).toBe(true);
    expect(violations).toEqual([]);
  });

  it("should leave each vendor's benchmark and contract-test kits to `npm run bench` and the tests", () => {
    const isKit = (file: string) => /^adapters\/dlp\/[^/]+\/(bench|fault-kit)\.ts$/.test(file);
    const files = ['src', 'commands', 'adapters'].flatMap((dir) => sourceFiles(join(root, dir)));
    const violations = files
      .filter((file) => !isKit(relative(root, file)))
      .flatMap((file) =>
        importsOf(file)
          .map((target) => target.replace(/\.js$/, '.ts'))
          .filter(isKit)
          .map((target) => `${relative(root, file)} -> ${target}`),
      );
    expect(files.filter((file) => isKit(relative(root, file))).length).toBeGreaterThanOrEqual(10);
    expect(violations).toEqual([]);
  });

  it('should keep console.* out of src/, adapters/ and commands/ except the console surface', () => {
    const files = ['src', 'adapters', 'commands'].flatMap((dir) => sourceFiles(join(root, dir)));
    const violations = files
      .filter((file) => !relative(root, file).startsWith('adapters/chat/console/'))
      .filter((file) => /\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(violations).toEqual([]);
  });
});
