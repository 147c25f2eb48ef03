/**
 * `npm run teams:package`: builds the Microsoft Teams app package (manifest.json + icons in a zip) for
 * this bot, ready to upload in Teams. Exit 0 on success, 2 on bad arguments, 1 if the package would be invalid.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { COMMANDS } from '../commands/index.js';
import { buildTeamsPackage } from './teams-package/build.js';
import { EXIT_CODES, PackageError } from './teams-package/errors.js';
import { DEFAULT_DEVELOPER_URL, DEFAULT_OUT, parseCommandLine } from './teams-package/inputs.js';

// This file runs as dist/scripts/teams-package.js; the assets stay in the source tree.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASSETS_DIR = `${ROOT}adapters/chat/teams/app-package`;

const HELP = `Usage: npm run teams:package -- [options]

Builds the Microsoft Teams app package for dlp-sla-bot: a zip with manifest.json, color.png and outline.png.

  --bot-id GUID         The bot's Microsoft App ID (Azure Bot resource). Default: $MICROSOFT_APP_ID.
  --app-id GUID         The Teams app id. Default: derived from the bot id, so packaging again updates the same app.
  --version X.Y.Z       The app version Teams shows; raise it for each upload. Default: package.json's version.
  --out FILE            Where to write the zip. Default: ${DEFAULT_OUT}.
  --domain HOST         Adds a host to validDomains (repeatable); a pure bot needs none.
  --developer-url URL   https page shown as website, privacy and terms links. Default: ${DEFAULT_DEVELOPER_URL}.
  -h, --help            This help.
`;

const NEXT_STEP =
  'Next: in Microsoft Teams open Apps → Manage your apps → Upload an app → Upload a custom app, and choose the zip.\n' +
  'For the whole organisation, a Teams admin uploads it in the Teams admin center: Teams apps → Manage apps → Upload new app.\n';

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Writes the zip, turning a path that cannot be written (a directory, no permission) into a `bad_input` error. */
function writeZip(out: string, zip: Uint8Array, asGiven: string): void {
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new PackageError('bad_input', `cannot write the package to --out ${asGiven} (${reason}): choose a file path`);
  }
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
  try {
    const parsed = parseCommandLine(argv, env, version);
    if (parsed.kind === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    const { inputs } = parsed;
    const built = buildTeamsPackage(
      ASSETS_DIR,
      inputs,
      COMMANDS,
      ADAPTERS.map((a) => a.displayName),
    );
    const out = resolve(cwd, inputs.out);
    writeZip(out, built.zip, inputs.out);
    const lines = [
      `Teams app package written to ${shown(out, cwd)}`,
      `  Teams app id   ${built.teamsAppId}${inputs.appId ? '' : ' (derived from the bot id)'}`,
      `  Bot id         ${inputs.botId}`,
      `  Version        ${inputs.version}`,
      `  Commands       ${built.commands.map((c) => c.title).join(', ')}`,
      `  Valid domains  ${inputs.domains.length ? inputs.domains.join(', ') : '(none; a bot needs none)'}`,
    ];
    if (inputs.developerUrl === DEFAULT_DEVELOPER_URL) {
      lines.push(`  Links          ${DEFAULT_DEVELOPER_URL}: pass --developer-url with your team's page about the bot`);
    }
    process.stdout.write(`${lines.join('\n')}\n\n${NEXT_STEP}`);
    return 0;
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    const details = error.problems.length > 1 ? error.problems.map((p) => `  - ${p}\n`).join('') : '';
    const hint = error.code === 'bad_input' ? 'npm run teams:package -- --help shows the options.\n' : '';
    process.stderr.write(`teams:package: ${error.message}\n${details}${hint}`);
    return EXIT_CODES[error.code];
  }
}

process.exitCode = run(process.argv.slice(2), process.env, process.cwd());
