#!/usr/bin/env node
// Builds dist/ (tsc, then the SQL migrations beside the compiled store) and records what it was built from in
// dist/.build-stamp.json. With --if-stale it builds only when the sources changed since that build, so
// `npm start` starts in milliseconds when dist/ is current. Plain JavaScript: it has to run before anything is built.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUILD_CONFIG = 'tsconfig.build.json';
const STAMP = join(root, 'dist', '.build-stamp.json');
const ENTRY = join(root, 'dist', 'src', 'cli.js');
/** tsc's record of the last compile (tsconfig.build.json `tsBuildInfoFile`): it recompiles only what changed since. */
const BUILD_INFO = join(root, 'dist', '.tsbuildinfo');
/** Besides the folders tsconfig.build.json compiles, these files change what a build produces. */
const INPUT_FILES = ['tsconfig.json', BUILD_CONFIG, 'package.json'];

/** Every input file and folder (a folder's mtime moves when a file in it is added, removed or renamed). */
function inputs() {
  const { include } = JSON.parse(readFileSync(join(root, BUILD_CONFIG), 'utf8'));
  const files = [];
  let newestMs = 0;
  const visit = (path) => {
    const stat = statSync(path);
    newestMs = Math.max(newestMs, stat.mtimeMs);
    if (!stat.isDirectory()) files.push(path);
    else for (const name of readdirSync(path).sort()) visit(join(path, name));
  };
  for (const path of [...include, ...INPUT_FILES]) if (existsSync(join(root, path))) visit(join(root, path));
  return { files, newestMs };
}

/** What the inputs hold: a touched but unchanged file (a checkout, a branch switched back) needs no rebuild. */
function contentHash(files) {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file.slice(root.length)}\0`)
      .update(readFileSync(file))
      .update('\0');
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return null;
  }
}

function writeStamp(stamp) {
  try {
    writeFileSync(STAMP, `${JSON.stringify(stamp)}\n`);
  } catch {
    // A read-only install still runs; it only pays for the content check again next time.
  }
}

function tscPath() {
  try {
    const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
    return join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tsc);
  } catch {
    return null;
  }
}

/** A source whose compiled file is gone from dist/: tsc's record says it is up to date, so it would not emit it. */
function outputMissing(files) {
  return files.some(
    (file) =>
      file.endsWith('.ts') &&
      !file.endsWith('.d.ts') &&
      !existsSync(join(root, 'dist', `${file.slice(root.length, -3)}.js`)),
  );
}

function build(tsc, current) {
  // Recorded before compiling, so a file saved while tsc runs makes the next start build again.
  const stamp = { newestMs: current.newestMs, hash: contentHash(current.files) };
  if (outputMissing(current.files)) rmSync(BUILD_INFO, { force: true });
  const compiled = spawnSync(process.execPath, [tsc, '-p', BUILD_CONFIG], { cwd: root, stdio: 'inherit' });
  if (compiled.status !== 0) return compiled.status ?? 1;
  const migrations = join('src', 'store', 'migrations');
  rmSync(join(root, 'dist', migrations), { recursive: true, force: true });
  cpSync(join(root, migrations), join(root, 'dist', migrations), { recursive: true });
  writeStamp(stamp);
  return 0;
}

function buildIfStale() {
  // An installed copy without its sources runs the dist/ it came with.
  if (!existsSync(join(root, 'src'))) return 0;
  const current = inputs();
  const stamp = readStamp();
  const built = stamp !== null && existsSync(ENTRY);
  if (built && current.newestMs <= stamp.newestMs) return 0;
  if (built && contentHash(current.files) === stamp.hash) {
    writeStamp({ ...stamp, newestMs: current.newestMs });
    return 0;
  }
  const tsc = tscPath();
  if (tsc === null) {
    if (existsSync(ENTRY)) {
      process.stderr.write('dlp-bot: the sources differ from dist/, but TypeScript is not installed: running dist/\n');
      return 0;
    }
    process.stderr.write('dlp-bot: not built, and TypeScript is not installed: run `npm install` first\n');
    return 1;
  }
  process.stderr.write(
    `dlp-bot: building… (${built ? 'the sources changed since the last build' : 'not built yet'})\n`,
  );
  return build(tsc, current);
}

const args = process.argv.slice(2);
if (args.length > 1 || (args.length === 1 && args[0] !== '--if-stale')) {
  process.stderr.write('usage: node scripts/build.mjs [--if-stale]\n');
  process.exit(2);
}
if (args[0] === '--if-stale') process.exitCode = buildIfStale();
else {
  const tsc = tscPath();
  if (tsc === null) {
    process.stderr.write('build: TypeScript is not installed: run `npm install` first\n');
    process.exit(1);
  }
  process.exitCode = build(tsc, inputs());
}
