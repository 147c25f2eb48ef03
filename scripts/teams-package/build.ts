import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { CommandSpec } from '../../commands/command.js';
import { defaultTeamsAppId } from './app-id.js';
import { PackageError } from './errors.js';
import type { PackageInputs } from './inputs.js';
import { chatCommandMenu, fillManifest, type TeamsCommand } from './manifest.js';
import { commandLimitProblems, iconProblems, schemaProblems } from './validate.js';

/**
 * Zip entries carry a DOS date in local time; a fixed local date (not a UTC instant) keeps the bytes
 * identical on every machine and time zone, so the same inputs always give the same package.
 */
const FIXED_ZIP_DATE = new Date(2000, 0, 1, 0, 0, 0);

export interface BuiltPackage {
  zip: Uint8Array;
  manifest: Record<string, unknown>;
  teamsAppId: string;
  commands: TeamsCommand[];
}

/**
 * Builds the Teams app package from `app-package/` (template, icons, vendored schema): fills the manifest (its
 * command menu from the command registry, the vendors it names from the adapter registry),
 * checks it against the schema and the limits Teams documents beyond it, checks the icons, and zips the
 * three files at the root as Teams expects. Throws `invalid_package` listing every problem.
 */
export function buildTeamsPackage(
  assetsDir: string,
  inputs: PackageInputs,
  registry: readonly CommandSpec[],
  vendorNames: readonly string[],
): BuiltPackage {
  const read = (name: string) => readFileSync(join(assetsDir, name));
  const teamsAppId = inputs.appId ?? defaultTeamsAppId(inputs.botId);
  const commands = chatCommandMenu(registry);
  const manifest = fillManifest(
    read('manifest.template.json').toString('utf8'),
    {
      botId: inputs.botId,
      teamsAppId,
      version: inputs.version,
      developerUrl: inputs.developerUrl,
      validDomains: inputs.domains,
      vendorNames,
    },
    commands,
  );
  const schema = JSON.parse(read('schema/MicrosoftTeams.schema.json').toString('utf8')) as object;
  const color = read('color.png');
  const outline = read('outline.png');
  const problems = [
    ...schemaProblems(manifest, schema),
    ...commandLimitProblems(manifest),
    ...iconProblems('color', color),
    ...iconProblems('outline', outline),
  ];
  if (problems.length > 0) {
    throw new PackageError('invalid_package', 'the Teams app package would not pass Teams validation', problems);
  }
  const zip = zipSync(
    {
      'manifest.json': Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'),
      'color.png': color,
      'outline.png': outline,
    },
    { level: 9, mtime: FIXED_ZIP_DATE },
  );
  return { zip, manifest, teamsAppId, commands };
}
