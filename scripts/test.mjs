#!/usr/bin/env node
// `npm test`: build, then the type check and Biome beside the test run instead of before it. Each is a few seconds
// of CPU that fits in the suite's waits for child processes and loopback servers on a 2-core machine. Their output
// is held back and printed after the tests' (only if they failed), so it never interleaves with vitest's.
// Arguments go to vitest (`npm test -- test/unit/store`). Plain JavaScript: it has to run before anything is built.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A package's command-line script, as its package.json names it (what npm links into node_modules/.bin). */
function bin(pkg, name) {
  const manifest = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
  const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bins === 'string' ? bins : bins[name]);
}

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** Runs a check with its output captured; resolves to its exit code and what it printed. */
function quiet(name, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ name, code: code ?? 1, output }));
  });
}

const checks = Promise.all([
  quiet('typecheck (tsc -p tsconfig.json --noEmit)', [bin('typescript', 'tsc'), '-p', 'tsconfig.json', '--noEmit']),
  quiet('biome check .', [bin('@biomejs/biome', 'biome'), 'check', '.']),
]);
const tests = await new Promise((resolve) => {
  const child = spawn(process.execPath, [bin('vitest', 'vitest'), 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  child.on('close', (code) => resolve(code ?? 1));
});

let failed = tests !== 0;
for (const check of await checks) {
  if (check.code === 0) continue;
  failed = true;
  process.stderr.write(`\n${check.name} failed (exit ${check.code}):\n${check.output}\n`);
}
process.exit(failed ? 1 : 0);
