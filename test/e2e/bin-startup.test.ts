import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The real `dlp-bot` executable (compiled), as bin.test.ts runs it. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dlp-bot.js');
const CHAT_SDK_PACKAGES = /\/node_modules\/(@slack\/|@microsoft\/|botbuilder|botframework-|@azure\/|msal|openai)/;

/** A module resolve hook that appends every module the process loads (its URL) to $DLP_TEST_LOADED_LIST. */
const RECORD_HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.DLP_TEST_LOADED_LIST, resolved.url + '\\n');
  return resolved;
}`;
const dataUrl = (code: string) => `data:text/javascript,${encodeURIComponent(code)}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(dataUrl(RECORD_HOOK))});`;

let cwd: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  cwd = mkdtempSync(join(tmpdir(), 'dlp-startup-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs `dlp-bot …` in the sandbox (no Slack or Teams variables) and answers the modules it loaded. */
function loadedBy(args: string[]): { status: number | null; stderr: string; modules: string[] } {
  const list = join(cwd, `loaded-${args.join('-')}.txt`);
  const env: Record<string, string | undefined> = { ...process.env, DLP_TEST_LOADED_LIST: list };
  for (const name of Object.keys(env)) if (/^(SLACK|TEAMS|MICROSOFT_APP)_/.test(name)) delete env[name];
  const run = spawnSync(process.execPath, ['--import', dataUrl(REGISTER), bin, ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  const modules = existsSync(list) ? readFileSync(list, 'utf8').split('\n').filter(Boolean) : [];
  return { status: run.status, stderr: run.stderr, modules };
}

describe('what the dlp-bot executable loads', () => {
  it.each(['--help', 'scan --json'])(
    'should run `dlp-bot %s` without loading a chat SDK when Slack and Teams are off',
    { timeout: 60_000 },
    (command) => {
      const { status, stderr, modules } = loadedBy(command.split(' '));
      expect(status, stderr).toBe(0);
      // The hook saw the app itself and its packages, so an empty answer below means something.
      expect(modules.some((url) => url.endsWith('/dist/src/cli.js'))).toBe(true);
      expect(modules.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
      expect(modules.filter((url) => CHAT_SDK_PACKAGES.test(url))).toEqual([]);
    },
  );
});
