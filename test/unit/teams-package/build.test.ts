import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../adapters/dlp/index.js';
import type { CommandSpec } from '../../../commands/command.js';
import { COMMANDS } from '../../../commands/index.js';
import { defaultTeamsAppId } from '../../../scripts/teams-package/app-id.js';
import { buildTeamsPackage } from '../../../scripts/teams-package/build.js';
import { PackageError } from '../../../scripts/teams-package/errors.js';
import type { PackageInputs } from '../../../scripts/teams-package/inputs.js';
import { inProse } from '../../../src/views/format.js';

/** The registered vendors, as `npm run teams:package` names them. */
const VENDORS = ADAPTERS.map((a) => a.displayName);
const ASSETS = fileURLToPath(new URL('../../../adapters/chat/teams/app-package/', import.meta.url));
const inputs: PackageInputs = {
  botId: '11111111-2222-3333-4444-555555555555',
  version: '1.0.0',
  out: 'unused.zip',
  domains: [],
  developerUrl: 'https://security.example.com/dlp-bot',
};
let assets: string;

beforeEach(() => {
  // A private copy of the real template, icons and schema, so a test can break one of them.
  assets = mkdtempSync(join(tmpdir(), 'dlp-teams-assets-'));
  cpSync(ASSETS, assets, { recursive: true });
});
afterEach(() => rmSync(assets, { recursive: true, force: true }));

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PackageError);
    expect((error as PackageError).code).toBe('invalid_package');
    return (error as PackageError).problems.length ? (error as PackageError).problems : [(error as Error).message];
  }
  throw new Error('expected the build to fail');
}

function editTemplate(edit: (text: string) => string) {
  const file = join(assets, 'manifest.template.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

function chatCommand(name: string, summary = `Does ${name}`): CommandSpec {
  return { ...(COMMANDS[0] as CommandSpec), name, summary, surfaces: ['chat'] };
}

describe('buildTeamsPackage', () => {
  it('should build from the committed template and icons, with the developer page in every link', () => {
    const built = buildTeamsPackage(assets, inputs, COMMANDS, VENDORS);
    const manifest = JSON.parse(Buffer.from(unzipSync(built.zip)['manifest.json'] ?? []).toString('utf8'));
    expect(manifest.developer).toMatchObject({
      websiteUrl: inputs.developerUrl,
      privacyUrl: inputs.developerUrl,
      termsOfUseUrl: inputs.developerUrl,
    });
    expect(built.teamsAppId).toBe(defaultTeamsAppId(inputs.botId));
  });

  it('should name in its description exactly the vendors it is given: the registered ones when packaged', () => {
    const described = (vendors: readonly string[]) => {
      const built = buildTeamsPackage(assets, inputs, COMMANDS, vendors);
      return (built.manifest.description as { full: string }).full;
    };
    expect(described(VENDORS)).toContain(`your vendor consoles — ${inProse(VENDORS)} — and knows`);
    expect(described(['Acme DLP', 'Example Guard'])).toContain(
      'your vendor consoles — Acme DLP and Example Guard — and',
    );
  });

  it('should refuse icons of the wrong size or that are not PNGs', () => {
    // The colour icon in the outline's place: wrong size, and the check reads the real PNG header.
    cpSync(join(assets, 'color.png'), join(assets, 'outline.png'));
    expect(problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS))).toEqual([
      'outline.png is 192×192; Teams needs 32×32',
    ]);
    writeFileSync(join(assets, 'color.png'), 'not a png');
    expect(problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS))).toContain(
      'color.png is not a PNG file',
    );
  });

  it('should refuse an outline icon with no alpha channel', () => {
    // The real outline icon relabelled as RGB (colour type 2) with a correct IHDR checksum.
    const png = readFileSync(join(ASSETS, 'outline.png'));
    png.writeUInt8(2, 25);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    writeFileSync(join(assets, 'outline.png'), png);
    expect(problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS))).toEqual([
      'outline.png needs a transparent background (an alpha channel)',
    ]);
  });

  it('should report schema violations in the template with their location', () => {
    editTemplate((text) => text.replace('"accentColor": "#1D3A5F"', '"accentColor": "navy"'));
    const problems = problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS));
    expect(problems).toEqual([expect.stringMatching(/^\/accentColor must match pattern/)]);
  });

  it('should check each package against the schema it is given, not one compiled for an earlier package', () => {
    expect(buildTeamsPackage(assets, inputs, COMMANDS, VENDORS).zip.length).toBeGreaterThan(0);
    const file = join(assets, 'schema', 'MicrosoftTeams.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...schema, required: [...schema.required, 'copilotAgents'] }));
    const problems = problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS));
    expect(problems).toEqual(["(root) must have required property 'copilotAgents'"]);
  });

  it('should refuse a template placeholder it does not know', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest template's own placeholder syntax
    const unknown = '${{PUBLISHER}}';
    editTemplate((text) => text.replace('"dlp-sla-bot"', `"${unknown}"`));
    expect(problemsOf(() => buildTeamsPackage(assets, inputs, COMMANDS, VENDORS))).toEqual([
      `the manifest template uses an unknown placeholder ${unknown}`,
    ]);
  });

  it('should hold the command menu to the limits Teams documents beyond the schema', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => chatCommand(`command${i}`));
    const tooMany = problemsOf(() => buildTeamsPackage(assets, inputs, eleven, VENDORS));
    expect(tooMany).toHaveLength(3); // one per scope's command list
    expect(tooMany[0]).toBe('/bots/0/commandLists/0 has 11 commands; Teams shows at most 10');

    const longName = 'a'.repeat(33);
    expect(problemsOf(() => buildTeamsPackage(assets, inputs, [chatCommand(longName)], VENDORS))[0]).toBe(
      `/bots/0/commandLists/0/commands/0/title "${longName}" is longer than 32 characters`,
    );
  });

  it('should cut a long summary to 128 characters and leave CLI-only commands out', () => {
    const long = chatCommand('aging', `${'word '.repeat(40)}end`);
    const cliOnly: CommandSpec = { ...chatCommand('doctor'), surfaces: ['cli'] };
    const built = buildTeamsPackage(assets, inputs, [long, cliOnly], VENDORS);
    expect(built.commands).toEqual([{ title: 'aging', description: expect.stringMatching(/^word word .*…$/) }]);
    expect(built.commands[0]?.description).toHaveLength(128);
  });
});

describe('defaultTeamsAppId', () => {
  it('should be the RFC 4122 name-based (v5) UUID of the bot id, the same whatever its case', () => {
    // Known answer from Python: uuid.uuid5(uuid.NAMESPACE_URL, 'urn:dlp-sla-bot:teams-app:<bot id>').
    expect(defaultTeamsAppId('11111111-2222-3333-4444-555555555555')).toBe('4e0d03d4-8df9-5ee0-8899-43c6698f36ca');
    expect(defaultTeamsAppId('AAAAAAAA-2222-3333-4444-555555555555')).toBe(
      defaultTeamsAppId('aaaaaaaa-2222-3333-4444-555555555555'),
    );
  });
});
