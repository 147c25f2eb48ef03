import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** `npm start`'s prestart step (`node scripts/build.mjs --if-stale`), run on a tiny project laid out like this one. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(project: string, path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

/** A project with the real build script, one source file and a migration; `typescript` linked in unless told not. */
function project(options: { typescript: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-build-'));
  projects.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
  write(dir, 'package.json', '{ "type": "module" }\n');
  // The lib and skipLibCheck of this project's tsconfig.json: without them tsc checks the DOM typings on every build.
  write(
    dir,
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        target: 'ES2023',
        lib: ['ES2023'],
        types: [],
        skipLibCheck: true,
        incremental: true,
      },
    }),
  );
  write(
    dir,
    'tsconfig.build.json',
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { outDir: 'dist', rootDir: '.', tsBuildInfoFile: 'dist/.tsbuildinfo' },
      include: ['src'],
    }),
  );
  write(dir, 'src/cli.ts', "export const built = 'first';\n");
  write(dir, 'src/store/migrations/001.sql', 'select 1;\n');
  if (options.typescript) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

const compiled = (dir: string) => readFileSync(join(dir, 'dist/src/cli.js'), 'utf8');

/** Moves a file's mtime a minute ahead, as an editor save or a checkout after the build would. */
function touchLater(path: string): void {
  const later = new Date(Date.now() + 60_000);
  utimesSync(path, later, later);
}

describe('node scripts/build.mjs --if-stale (the prestart of npm start)', () => {
  it('should build nothing and print nothing when dist/ is current', () => {
    const dir = project({ typescript: true });
    expect(run(dir).code).toBe(0);
    writeFileSync(join(dir, 'dist/src/cli.js'), '// left alone\n');
    expect(run(dir, '--if-stale')).toEqual({ code: 0, stderr: '' });
    expect(compiled(dir)).toBe('// left alone\n');
  });

  it('should not rebuild a file that was touched but not changed (a checkout, a branch switched back)', () => {
    const dir = project({ typescript: true });
    run(dir);
    writeFileSync(join(dir, 'dist/src/cli.js'), '// left alone\n');
    touchLater(join(dir, 'src/cli.ts'));
    expect(run(dir, '--if-stale')).toEqual({ code: 0, stderr: '' });
    expect(compiled(dir)).toBe('// left alone\n');
  });

  it('should say it is building and build when a source changed, a file was added, or no build recorded one', () => {
    const dir = project({ typescript: true });
    run(dir);
    write(dir, 'src/cli.ts', "export const built = 'second';\n");
    touchLater(join(dir, 'src/cli.ts'));
    const changed = run(dir, '--if-stale');
    expect(changed.stderr).toContain('building…');
    expect(changed.code).toBe(0);
    expect(compiled(dir)).toContain("'second'");

    write(dir, 'src/extra.ts', 'export const extra = 1;\n');
    touchLater(join(dir, 'src'));
    expect(run(dir, '--if-stale').stderr).toContain('building…');
    expect(existsSync(join(dir, 'dist/src/extra.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/src/store/migrations/001.sql'))).toBe(true);

    rmSync(join(dir, 'dist/.build-stamp.json'));
    expect(run(dir, '--if-stale').stderr).toContain('building…');
    expect(run(dir, '--if-stale')).toEqual({ code: 0, stderr: '' });
  });

  it('should compile again a file deleted from dist/, which tsc (incremental) counts as up to date', () => {
    const dir = project({ typescript: true });
    expect(run(dir).code).toBe(0);
    expect(existsSync(join(dir, 'dist/.tsbuildinfo'))).toBe(true);
    rmSync(join(dir, 'dist/src/cli.js'));
    expect(run(dir).code).toBe(0);
    expect(compiled(dir)).toContain("'first'");
  });

  it('should run the existing dist/ of a copy without TypeScript, and never try to build there', () => {
    const dir = project({ typescript: false });
    expect(run(dir, '--if-stale')).toEqual({
      code: 1,
      stderr: 'dlp-bot: not built, and TypeScript is not installed: run `npm install` first\n',
    });
    write(dir, 'dist/src/cli.js', '// shipped\n');
    const stale = run(dir, '--if-stale');
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain('TypeScript is not installed: running dist/');
    expect(compiled(dir)).toBe('// shipped\n');
  });

  it('should run an installed copy without its sources as it is', () => {
    const dir = project({ typescript: true });
    rmSync(join(dir, 'src'), { recursive: true });
    write(dir, 'dist/src/cli.js', '// shipped\n');
    expect(run(dir, '--if-stale')).toEqual({ code: 0, stderr: '' });
  });

  it('should fail the build, and record nothing, when tsc reports an error', () => {
    const dir = project({ typescript: true });
    write(dir, 'src/cli.ts', "export const built: number = 'not a number';\n");
    expect(run(dir).code).not.toBe(0);
    expect(existsSync(join(dir, 'dist/.build-stamp.json'))).toBe(false);
  });
});
