import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { COMMANDS } from '../../commands/index.js';
import { inProse } from '../../src/views/format.js';

/** `npm run teams:package` minus the build: the compiled script, in a child process, as a person runs it. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'dist', 'scripts', 'teams-package.js');
const schemaFile = join(root, 'adapters', 'chat', 'teams', 'app-package', 'schema', 'MicrosoftTeams.schema.json');
const BOT_ID = '6f1c2a9e-4b7d-4e21-9c3a-2d8f0b5e7a14';
let cwd: string;
/** One package built with only a bot id; most tests read it. */
let defaultRun: ReturnType<typeof teamsPackage>;

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` on a fresh clone builds here so this test means something.
  if (!existsSync(script)) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  cwd = mkdtempSync(join(tmpdir(), 'dlp-teams-package-'));
  defaultRun = teamsPackage(['--bot-id', BOT_ID, '--out', 'out/app.zip']);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function teamsPackage(args: string[], env: Record<string, string> = {}) {
  // MICROSOFT_APP_ID from the developer's own shell must not leak into the "missing bot id" cases.
  const { MICROSOFT_APP_ID: _ignored, ...base } = process.env;
  return spawnSync(process.execPath, [script, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8' });
}

function unzip(file: string) {
  return unzipSync(readFileSync(join(cwd, file)));
}

/** Width, height and colour type straight from the PNG's IHDR chunk. */
function pngHeader(bytes: Uint8Array) {
  const buffer = Buffer.from(bytes);
  expect(buffer.toString('latin1', 1, 4)).toBe('PNG');
  expect(buffer.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20), colourType: buffer.readUInt8(25) };
}

/** Compiled once for the file: the schema is 127 KB and takes about half a second to compile. */
let vendoredSchema: ValidateFunction | undefined;

function validateAgainstVendoredSchema(manifest: unknown) {
  if (!vendoredSchema) {
    const ajv = new ajvDraft04.default({ allErrors: true, strictTypes: false });
    ajvFormats.default(ajv);
    vendoredSchema = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  }
  return vendoredSchema(manifest) ? [] : vendoredSchema.errors;
}

const chatCommands = COMMANDS.filter((c) => c.surfaces.includes('chat'));

describe('npm run teams:package', () => {
  it('should write a zip with manifest.json and both icons, the bot id filled in, valid against the schema', () => {
    const run = defaultRun;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Teams app package written to out/app.zip');
    expect(run.stdout).toContain('Upload a custom app');

    const files = unzip('out/app.zip');
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(files['manifest.json'] ?? []).toString('utf8'));
    expect(validateAgainstVendoredSchema(manifest)).toEqual([]);
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);

    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({
      botId: BOT_ID,
      scopes: ['personal', 'team', 'groupChat'],
      supportsFiles: false,
    });
    // The Teams app id is its own GUID, not the bot id, and no template placeholder survives.
    expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(manifest.id).not.toBe(BOT_ID);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    // The vendors it names are the registered ones, filled in when packaging.
    expect(manifest.description.full).toContain(inProse(ADAPTERS.map((a) => a.displayName)));
  });

  it('should offer, in every scope, exactly the commands the registry answers in chat', () => {
    expect(defaultRun.status).toBe(0);
    const manifest = JSON.parse(Buffer.from(unzip('out/app.zip')['manifest.json'] ?? []).toString('utf8'));
    const lists = manifest.bots[0].commandLists as {
      scopes: string[];
      commands: { title: string; description: string }[];
    }[];
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual(chatCommands.map((c) => c.name));
      list.commands.forEach((command, i) => {
        const summary = chatCommands[i]?.summary ?? '';
        expect(summary.startsWith(command.description.replace(/…$/, ''))).toBe(true);
        expect(command.description).not.toMatch(/\(exit \d/);
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length).toBeLessThanOrEqual(128);
      });
      expect(list.commands.length).toBeLessThanOrEqual(10);
    }
  });

  it('should ship a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    expect(defaultRun.status).toBe(0);
    const files = unzip('out/app.zip');
    expect(pngHeader(files['color.png'] ?? new Uint8Array())).toMatchObject({ width: 192, height: 192 });
    // Colour type 6 is RGBA: the outline icon's background can be transparent.
    expect(pngHeader(files['outline.png'] ?? new Uint8Array())).toEqual({ width: 32, height: 32, colourType: 6 });
  });

  it('should take the bot id from MICROSOFT_APP_ID and honour --app-id, --version and --domain', () => {
    const appId = '0b8e5d1c-3f2a-4c6b-8d9e-1a2b3c4d5e6f';
    const run = teamsPackage(
      ['--app-id', appId, '--version', '2.3.4', '--domain', 'https://bot.example.org/api/messages', '--out', 'e.zip'],
      { MICROSOFT_APP_ID: BOT_ID },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = JSON.parse(Buffer.from(unzip('e.zip')['manifest.json'] ?? []).toString('utf8'));
    expect(manifest).toMatchObject({ id: appId, version: '2.3.4', validDomains: ['bot.example.org'] });
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(validateAgainstVendoredSchema(manifest)).toEqual([]);
  });

  it('should give the same app id and byte-identical zips for the same bot id, in any time zone', () => {
    // 25 hours apart, so the local date always differs: a zip date from the clock or a UTC instant would show.
    const first = teamsPackage(['--bot-id', BOT_ID, '--out', 'a.zip'], { TZ: 'Pacific/Pago_Pago' });
    const second = teamsPackage(['--bot-id', BOT_ID, '--out', 'b.zip'], { TZ: 'Pacific/Kiritimati' });
    const otherBot = teamsPackage(['--bot-id', '1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5', '--out', 'c.zip']);
    expect([first.status, second.status, otherBot.status]).toEqual([0, 0, 0]);
    expect(readFileSync(join(cwd, 'a.zip')).equals(readFileSync(join(cwd, 'b.zip')))).toBe(true);
    const idOf = (file: string) => JSON.parse(Buffer.from(unzip(file)['manifest.json'] ?? []).toString('utf8')).id;
    expect(idOf('a.zip')).toBe(idOf('b.zip'));
    expect(idOf('c.zip')).not.toBe(idOf('a.zip'));
  });

  it('should exit 2 and say how to give the bot id when it is missing', () => {
    const run = teamsPackage(['--out', 'missing.zip']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--bot-id');
    expect(run.stderr).toContain('MICROSOFT_APP_ID');
    expect(run.stdout).toBe('');
    expect(existsSync(join(cwd, 'missing.zip'))).toBe(false);
  });

  it('should exit 2 naming a malformed bot id, version or option', () => {
    const badBot = teamsPackage(['--out', 'bad.zip'], { MICROSOFT_APP_ID: 'my-bot' });
    expect(badBot.status).toBe(2);
    expect(badBot.stderr).toContain('bot id "my-bot" is not a GUID');
    expect(existsSync(join(cwd, 'bad.zip'))).toBe(false);

    const badVersion = teamsPackage(['--bot-id', BOT_ID, '--version', '1.0', '--out', 'bad.zip']);
    expect(badVersion.status).toBe(2);
    expect(badVersion.stderr).toContain('--version "1.0"');

    const unknown = teamsPackage(['--bot-id', BOT_ID, '--bot', 'x']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bot'");
  });

  it('should exit 2 with one line, not a stack trace, when --out cannot be written', () => {
    // A directory, and a path below a file: both are --out mistakes a person makes.
    for (const out of ['.', 'out/app.zip/inside.zip']) {
      const run = teamsPackage(['--bot-id', BOT_ID, '--out', out]);
      expect(run.status).toBe(2);
      expect(run.stderr.startsWith(`teams:package: cannot write the package to --out ${out} (E`)).toBe(true);
      expect(run.stderr).not.toContain('    at ');
      expect(run.stdout).toBe('');
    }
  });
});
