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

  it('should keep console.* out of src/, adapters/ and commands/ except the console surface', () => {
    const files = ['src', 'adapters', 'commands'].flatMap((dir) => sourceFiles(join(root, dir)));
    const violations = files
      .filter((file) => !relative(root, file).startsWith('adapters/chat/console/'))
      .filter((file) => /\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(violations).toEqual([]);
  });
});
