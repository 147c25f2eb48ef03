import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The inside of the core (src/) as layers: each folder is one node (a file directly in src/ is a node of its own),
 * every import between two nodes an arrow, type-only imports included. The graph must have no cycle, and the
 * vocabulary at the bottom imports nothing above it. docs/architecture.md draws the same layers.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(root, 'src');

/** What each bottom-layer node may import; anything else it imports is a layering bug. */
const VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  'domain/': [],
  'views/': ['domain/'],
  'store/': ['domain/'],
  'config/': ['domain/', 'log', 'did-you-mean'],
  'ports/': ['domain/', 'views/', 'config/', 'store/', 'log'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const nodeOf = (file: string) => {
  const [first, ...rest] = relative(SRC, file).split('/');
  return rest.length > 0 ? `${first}/` : (first ?? '').replace(/\.ts$/, '');
};

/** Arrows between nodes, each with one import that draws it (file > file), for the failure message. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    const arrows = graph.get(from) ?? new Map<string, string>();
    graph.set(from, arrows);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1] ?? '').replace(/\.js$/, '.ts');
      if (!target.startsWith(`${SRC}/`)) continue;
      const to = nodeOf(target);
      if (to !== from && !arrows.has(to)) arrows.set(to, `${relative(root, file)} > ${relative(root, target)}`);
    }
  }
  return graph;
}

/** Every strongly connected set of two or more nodes (Tarjan): each is a cycle between folders. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let popped: string | undefined;
    do {
      popped = stack.pop();
      if (popped !== undefined) {
        onStack.delete(popped);
        component.push(popped);
      }
    } while (popped !== node && popped !== undefined);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the layers inside src/', () => {
  const graph = folderGraph();

  it('should have no cycle between its folders', () => {
    const explained = cycles(graph).map((component) =>
      component.flatMap((from) =>
        [...(graph.get(from) ?? [])].filter(([to]) => component.includes(to)).map(([, example]) => example),
      ),
    );
    expect(explained).toEqual([]);
  });

  it('should keep the vocabulary at the bottom: domain, views, store, config and ports import nothing above them', () => {
    const violations = Object.entries(VOCABULARY).flatMap(([node, allowed]) =>
      [...(graph.get(node) ?? [])].filter(([to]) => !allowed.includes(to)).map(([, example]) => example),
    );
    expect(violations).toEqual([]);
  });

  it('should keep every SQL statement and the SQLite connection inside src/store/, so a second store can slot in', () => {
    const outside = ['src', 'commands', 'adapters']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .filter((file) => !relative(root, file).startsWith('src/store/'))
      .filter((file) => /\.db\b|\.(prepare|pragma)\(\s*[`'"]/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(outside).toEqual([]);
  });

  it('should find the folders it reasons about, so a rename cannot make it pass by measuring nothing', () => {
    expect(Object.keys(VOCABULARY).filter((node) => !graph.has(node))).toEqual([]);
    expect(graph.size).toBeGreaterThan(10);
  });
});
