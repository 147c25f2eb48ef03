import type { CommandSpec } from '../../commands/command.js';
import { inProse } from '../../src/views/format.js';
import { PackageError } from './errors.js';

/** What the builder fills into `manifest.template.json`. */
export interface ManifestInputs {
  botId: string;
  teamsAppId: string;
  version: string;
  developerUrl: string;
  validDomains: readonly string[];
  /** The registered vendors' display names, named in the description. */
  vendorNames: readonly string[];
}

export interface TeamsCommand {
  title: string;
  description: string;
}

/** Teams' documented limit for a command's menu hint; longer summaries are cut, never the command name. */
export const COMMAND_DESCRIPTION_MAX = 128;

const PLACEHOLDER = /\$\{\{([A-Z_]+)\}\}/g;

/** Summaries are shared with the terminal; a note about the process exit code means nothing in Teams. */
const EXIT_CODE_NOTE = /\s*\(exit \d[^)]*\)$/;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The command menu Teams shows when someone mentions the bot: every command the registry answers in chat,
 * titled with its name as typed after the mention (`aging`, not `/dlp aging`), described by its summary
 * (without a trailing exit-code note, and cut to Teams' limit).
 */
export function chatCommandMenu(registry: readonly CommandSpec[]): TeamsCommand[] {
  return registry
    .filter((c) => c.surfaces.includes('chat'))
    .map((c) => ({
      title: c.name,
      description: shorten(c.summary.replace(EXIT_CODE_NOTE, ''), COMMAND_DESCRIPTION_MAX),
    }));
}

/**
 * Fills the template's `${{NAME}}` placeholders (JSON-escaped, so any value stays a valid string) and gives
 * every command list of the bot the chat command menu. Unknown or leftover placeholders are an error, so a
 * template edit can never ship a literal `${{…}}` to Teams.
 */
export function fillManifest(
  templateText: string,
  inputs: ManifestInputs,
  commands: readonly TeamsCommand[],
): Record<string, unknown> {
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: inputs.botId,
    TEAMS_APP_ID: inputs.teamsAppId,
    APP_VERSION: inputs.version,
    DEVELOPER_URL: inputs.developerUrl,
    VENDORS: inProse(inputs.vendorNames),
  };
  const filled = templateText.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new PackageError('invalid_package', `the manifest template uses an unknown placeholder ${whole}`);
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const bots = manifest.bots as { commandLists?: { commands: unknown }[] }[] | undefined;
  if (!bots?.[0]?.commandLists?.length)
    throw new PackageError('invalid_package', 'the manifest template has no bots[0].commandLists');
  for (const list of bots[0].commandLists) list.commands = commands.map((c) => ({ ...c }));
  manifest.validDomains = [...inputs.validDomains];
  return manifest;
}
