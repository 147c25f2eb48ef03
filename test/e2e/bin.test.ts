import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `dlp-bot` executable, as `npm start` and `npx dlp-bot` run it (compiled, in a child process). */
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dlp-bot.js');
let cwd: string;

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` on a fresh clone builds here so this test means something.
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  cwd = mkdtempSync(join(tmpdir(), 'dlp-bin-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the dlp-bot executable', () => {
  it('should print help and exit 0', () => {
    const run = spawnSync(process.execPath, [bin, '--help'], { cwd, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dlp-bot scan');
  });

  it("should print package.json's version for --version and -V, from the compiled output", () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = spawnSync(process.execPath, [bin, flag], { cwd, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`dlp-bot ${version}\n`);
    }
  });

  it('should exit 2 with usage on stderr for an unknown command', () => {
    const run = spawnSync(process.execPath, [bin, 'nonsense'], { cwd, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "nonsense"');
  });

  // How fast the sandbox starts is a benchmark matter; this waits generously so a loaded CI machine cannot fail it.
  it('should serve the sandbox, print breach cards, and stop cleanly on Ctrl-C', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'serve'], { cwd, env: { ...process.env, DLP_BOT_LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const sawCard = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 45_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (/Watching \d+ source\(s\)/.test(stdout)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await exited;
    expect(sawCard, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
    expect(stdout).toMatch(/■ SLA (breached|escalated): \w+ DLP incident paloalto:\d+/);
    expect(stdout).toContain('Sandbox: no config file');
    expect(code).toBe(0);
    expect(stdout).toContain('dlp-bot stopped');
    // The sandbox keeps its own store: nothing is left where a config file's store would go.
    expect(existsSync(join(cwd, 'data', 'sandbox.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, 'data', 'dlp-bot.sqlite'))).toBe(false);
  });
});
