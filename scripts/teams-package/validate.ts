import type { ErrorObject, ValidateFunction } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { readPngInfo } from './png.js';

// Both packages are CommonJS; under NodeNext their default exports arrive wrapped, with `.default` on them.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

/**
 * Limits Teams documents for bot command menus that the v1.29 schema no longer encodes (it allows 12
 * commands, 128-character titles and 4000-character descriptions; the Teams docs and older clients keep
 * the stricter ones, so we hold to those).
 */
export const TEAMS_COMMAND_LIMITS = { commandsPerList: 10, title: 32, description: 128 } as const;

/** Teams' icon rules: a 192×192 colour icon and a 32×32 outline icon on a transparent background. */
export const ICON_RULES = {
  color: { width: 192, height: 192, needsAlpha: false },
  outline: { width: 32, height: 32, needsAlpha: true },
} as const;

export type IconName = keyof typeof ICON_RULES;

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const detail =
    'allowedValues' in error.params
      ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
      : 'additionalProperty' in error.params
        ? ` (${String(error.params.additionalProperty)})`
        : '';
  return `${where} ${error.message ?? 'is invalid'}${detail}`;
}

/** Compiled validators by schema text: compiling Microsoft's 127 KB schema costs about half a second of CPU. */
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  const text = JSON.stringify(schema);
  const known = validators.get(text);
  if (known) return known;
  // Unoptimised code compiles in about half the time, and it checks one manifest per package.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, code: { optimize: false } });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(text, validate);
  return validate;
}

/** One line per schema violation; empty when the manifest is valid. The schema is draft-04, as Microsoft ships it. */
export function schemaProblems(manifest: unknown, schema: object): string[] {
  const validate = validatorFor(schema);
  return validate(manifest) ? [] : (validate.errors ?? []).map(describe);
}

interface CommandListShape {
  commands?: { title?: string; description?: string }[];
}

/** The command-menu limits above, checked on every command list of every bot. */
export function commandLimitProblems(manifest: { bots?: { commandLists?: CommandListShape[] }[] }): string[] {
  const problems: string[] = [];
  const { commandsPerList, title, description } = TEAMS_COMMAND_LIMITS;
  manifest.bots?.forEach((bot, b) => {
    bot.commandLists?.forEach((list, l) => {
      const where = `/bots/${b}/commandLists/${l}`;
      const commands = list.commands ?? [];
      if (commands.length > commandsPerList) {
        problems.push(`${where} has ${commands.length} commands; Teams shows at most ${commandsPerList}`);
      }
      commands.forEach((command, c) => {
        if ((command.title ?? '').length > title) {
          problems.push(`${where}/commands/${c}/title "${command.title}" is longer than ${title} characters`);
        }
        if ((command.description ?? '').length > description) {
          problems.push(`${where}/commands/${c}/description is longer than ${description} characters`);
        }
      });
    });
  });
  return problems;
}

/** Checks an icon's PNG header against Teams' size and transparency rules. */
export function iconProblems(name: IconName, bytes: Uint8Array): string[] {
  const rule = ICON_RULES[name];
  const info = readPngInfo(bytes);
  if (!info) return [`${name}.png is not a PNG file`];
  const problems: string[] = [];
  if (info.width !== rule.width || info.height !== rule.height) {
    problems.push(`${name}.png is ${info.width}×${info.height}; Teams needs ${rule.width}×${rule.height}`);
  }
  if (rule.needsAlpha && !info.hasAlpha) problems.push(`${name}.png needs a transparent background (an alpha channel)`);
  return problems;
}
