/**
 * The production install, as the Dockerfile's and the systemd guide's `npm ci --omit=dev` leaves it: package.json,
 * bin/ and the built dist/ over the production dependency tree alone, in a fresh folder. Every module the bot can
 * load resolves there, and the executable answers --version, scans the sandbox and serves.
 *
 * Why not run `npm ci --omit=dev` here: it needs the registry (CI may have none) and compiles better-sqlite3 from
 * source when no prebuilt binary matches (about a minute on this machine). The tree it would install is the one
 * `npm ls --omit=dev --all` reads from the same package-lock.json, so this test links exactly those packages (hard
 * links: no copy, and Node resolves them where they are linked, unlike symlinks) and nothing else. A devDependency
 * imported at run time then fails to resolve, as it would in the image.
 * The sandbox's serve opens the ops listener on a free loopback port, so /livez is asked as the image's HEALTHCHECK
 * asks it.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the image holds of dist/: the runtime (bench and scripts need the dev dependencies). */
const RUNTIME_DIST = ['src', 'commands', 'adapters'];

let base: string;
let app: string;
let production: string[];

/** Hard-links a file tree (copying across file systems); a package's own node_modules are linked on their own. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stat.isDirectory()) {
      if (name !== 'node_modules') linkTree(source, target);
    } else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** The production packages, as folders relative to node_modules (nested ones included). */
function productionPackages(): string[] {
  const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
  if (!listed.stdout) throw new Error(`npm ls printed nothing: ${listed.stderr}`);
  const modules = `${realpathSync(join(root, 'node_modules'))}${sep}`;
  return [
    ...new Set(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((path) => realpathSync(path))
        .filter((path) => path.startsWith(modules))
        .map((path) => path.slice(modules.length)),
    ),
  ];
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Node's lookup for a bare specifier: node_modules/<name> in the file's folder or any folder above it. */
function installedFrom(file: string, name: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dir === dirname(dir)) return false;
  }
}

/** A clean environment: no NODE_PATH or NODE_OPTIONS to find modules some other way, no proxy, no chat tokens. */
const cleanEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: base, DLP_BOT_LOG_LEVEL: 'warn' });

const dlpBot = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [join(app, 'bin', 'dlp-bot.js'), ...args], {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  base = mkdtempSync(join(tmpdir(), 'dlp-production-'));
  app = join(base, 'app');
  production = productionPackages();
  for (const pkg of production) linkTree(join(root, 'node_modules', pkg), join(app, 'node_modules', pkg));
  for (const part of RUNTIME_DIST) linkTree(join(root, 'dist', part), join(app, 'dist', part));
  linkTree(join(root, 'bin'), join(app, 'bin'));
  copyFileSync(join(root, 'package.json'), join(app, 'package.json'));
}, 120_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('the production install', () => {
  it('should hold the production dependencies only, with nothing above it to fall back on', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(app, 'node_modules', name))).toBe(true);
    // A devDependency is here only where a production package depends on it too (@types/node, for @slack/web-api).
    for (const name of Object.keys(pkg.devDependencies)) {
      expect(existsSync(join(app, 'node_modules', name)), name).toBe(production.includes(name));
    }
    for (const tool of ['typescript', 'vitest', '@biomejs/biome']) expect(production).not.toContain(tool);
    for (let dir = dirname(app); dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
    }
  });

  it('should resolve every package the runtime names, loaded at start or only when needed', () => {
    const missing = RUNTIME_DIST.flatMap((part) =>
      jsFiles(join(app, 'dist', part)).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        // Static imports, re-exports, import() and createRequire(…)('name'): every way the sources load a package.
        const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\)\s*\(\s*)["']([^"']+)["']/g)]
          .map((match) => match[1] ?? '')
          .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !isBuiltin(s));
        return specifiers
          .filter((s) => !installedFrom(file, packageName(s)))
          .map((s) => `${relative(app, file)}: ${s}`);
      }),
    );
    expect(missing).toEqual([]);
  });

  it('should load every runtime module with Node from the production tree alone', () => {
    const files = RUNTIME_DIST.flatMap((part) => jsFiles(join(app, 'dist', part)));
    const loader = [
      'const failed = [];',
      'for (const file of JSON.parse(process.argv[1])) {',
      '  try { await import(file); } catch (error) { failed.push(file + ": " + (error.code ?? error.message)); }',
      '}',
      'process.stdout.write(JSON.stringify(failed));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', loader, JSON.stringify(files)], {
      cwd: app,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('should answer --version and scan the sandbox', () => {
    const work = mkdtempSync(join(base, 'work-'));
    const version = dlpBot(['--version'], work);
    expect(version.stdout).toMatch(/^dlp-bot \d+\.\d+\.\d+\n$/);

    const scan = dlpBot(['scan', '--json'], work);

    expect(scan.status, scan.stderr).toBe(0);
    const summary = JSON.parse(scan.stdout) as { sources: { source: string; ok: boolean }[] };
    expect(summary.sources.length).toBeGreaterThanOrEqual(5);
    expect(summary.sources.filter((s) => !s.ok)).toEqual([]);
    expect(existsSync(join(work, 'data', 'sandbox.sqlite'))).toBe(true);
  }, 120_000);

  const OPS_URL = /Health and metrics at (http:\/\/127\.0\.0\.1:\d+)/;

  it('should serve, answer /livez, and stop cleanly on SIGTERM', async () => {
    const work = mkdtempSync(join(base, 'serve-'));
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(app, 'bin', 'dlp-bot.js'), 'serve'], {
      cwd: work,
      env: cleanEnv(),
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (/Watching \d+ source\(s\)/.test(stdout) && OPS_URL.test(stdout)) resolve();
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}):\n${stdout}\n${stderr}`)));
    });
    const live = await fetch(`${stdout.match(OPS_URL)?.[1]}/livez`);
    expect(live.status).toBe(200);

    child.kill('SIGTERM');

    expect(await exited).toBe(0);
  }, 120_000);
});
