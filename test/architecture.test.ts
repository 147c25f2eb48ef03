import { readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Packages tens of ms to load that many commands never use: loaded (createRequire) where first needed. */
const LOADED_ON_FIRST_USE = ['undici', 'yaml', 'pino-pretty'];

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

/** The files `entry` loads before any of its code runs, each with the chain of imports that reaches it. */
function staticGraphFrom(entry: string): Map<string, { chain: string[]; packages: string[] }> {
  const graph = new Map<string, { chain: string[]; packages: string[] }>();
  const visit = (file: string, chain: string[]) => {
    if (graph.has(file)) return;
    const imports = staticImportsOf(join(root, file));
    graph.set(file, { chain, packages: imports.packages });
    for (const next of imports.relative) visit(next, [...chain, next]);
  };
  visit(entry, [entry]);
  return graph;
}

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

  it('should load no chat SDK when the CLI starts: only a switched-on Slack or Teams surface imports one', () => {
    const graph = staticGraphFrom('src/cli.ts');
    const violations = [...graph.values()].flatMap(({ chain, packages }) =>
      packages
        .filter((pkg) => CHAT_SDK_PREFIXES.some((prefix) => pkg.startsWith(prefix)))
        .map((pkg) => `${chain.join(' > ')} imports ${pkg}`),
    );
    // The walk itself must work: the CLI reaches the commands, the vendor adapters and both surfaces' config.
    expect(graph.has('commands/index.ts')).toBe(true);
    expect(graph.has('adapters/chat/slack/config.ts')).toBe(true);
    expect(graph.has('adapters/chat/teams/config.ts')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('should load undici, yaml and pino-pretty on first use, not when the CLI starts', () => {
    const violations = [...staticGraphFrom('src/cli.ts').values()].flatMap(({ chain, packages }) =>
      packages.filter((pkg) => LOADED_ON_FIRST_USE.includes(pkg)).map((pkg) => `${chain.join(' > ')} imports ${pkg}`),
    );
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
