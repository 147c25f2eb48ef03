import { parseArgs } from 'node:util';
import { closestMatch, didYouMean } from '../src/did-you-mean.js';
import type { View } from '../src/views/view.js';
import type { CommandSpec, CommandSurface, RawArgs } from './command.js';

export type ParsedCommand =
  | { kind: 'run'; spec: CommandSpec; args: unknown }
  | { kind: 'help'; view: View }
  | { kind: 'usage_error'; message: string; usage: string };

/** Flags every command accepts; handled by the surface, not by the command. */
export const GLOBAL_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

/** Splits chat text like a shell would for our purposes: whitespace, with "double" or 'single' quotes. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  return tokens;
}

export function findCommand(
  registry: readonly CommandSpec[],
  argv: readonly string[],
): { spec: CommandSpec; rest: string[] } | null {
  const [first, second] = argv;
  const two = registry.find((c) => second !== undefined && c.name === `${first} ${second}`);
  if (two) return { spec: two, rest: argv.slice(2) };
  const one = registry.find((c) => c.name === first);
  return one ? { spec: one, rest: argv.slice(1) } : null;
}

/** Chat replies are messages, never JSON, so chat usage and help leave `--json` out. */
const JSON_USAGE = /\s*\[--json\]/g;

export function usageLine(spec: CommandSpec, program: string, surface: CommandSurface = 'cli'): string {
  const usage = surface === 'chat' ? spec.usage.replace(JSON_USAGE, '') : spec.usage;
  return `${program} ${spec.name}${usage ? ` ${usage}` : ''}`;
}

export function parseCommand(
  registry: readonly CommandSpec[],
  argv: readonly string[],
  program: string,
  surface: 'cli' | 'chat',
): ParsedCommand {
  const available = registry.filter((c) => c.surfaces.includes(surface));
  // `help <command>` runs the registered `help` command like any other; a registry without one still gets help.
  const helpIsCommand = argv[0] === 'help' && available.some((c) => c.name === 'help');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || (argv[0] === 'help' && !helpIsCommand)) {
    const topic = argv[0] === 'help' ? argv.slice(1) : [];
    const found = topic.length ? findCommand(available, topic) : null;
    return {
      kind: 'help',
      view: found ? commandHelp(found.spec, program, surface) : overviewHelp(available, program, surface),
    };
  }
  const found = findCommand(available, argv);
  if (!found) {
    return {
      kind: 'usage_error',
      message: unknownCommandMessage(available, argv),
      usage: `${program} help lists the commands`,
    };
  }
  const { spec, rest } = found;
  const usage = usageLine(spec, program, surface);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...spec.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { kind: 'usage_error', message: cleanParseArgsMessage(error, rest, spec), usage };
  }
  if (parsed.values.help) return { kind: 'help', view: commandHelp(spec, program, surface) };
  const raw: RawArgs = { ...(parsed.values as Record<string, string | boolean | string[]>), _: parsed.positionals };
  const args = spec.args.safeParse(raw);
  if (!args.success) {
    const message = args.error.issues
      .map((issue) => {
        const key = issue.path[0];
        const where = key === '_' ? 'argument' : key === undefined ? '' : `--${String(key)}`;
        return where ? `${where}: ${issue.message}` : issue.message;
      })
      .join('; ');
    return { kind: 'usage_error', message, usage };
  }
  return { kind: 'run', spec, args: args.data };
}

/**
 * Why `argv` names no command here. A near miss of a command (`agin`) or of a group's second word (`audit verfy`)
 * gets the nearest spelling, so a typo costs one retry instead of a trip to `help`.
 */
export function unknownCommandMessage(available: readonly CommandSpec[], argv: readonly string[]): string {
  const [first = '', second] = argv;
  const group = available.filter((c) => c.name.startsWith(`${first} `));
  if (group.length === 0) {
    const words = [...new Set(available.map((c) => c.name.split(' ')[0] ?? c.name))];
    return `unknown command "${first}"${didYouMean(first, words)}`;
  }
  if (second === undefined || second.startsWith('-')) {
    return `"${first}" needs a subcommand: ${group.map((c) => c.name).join(', ')}`;
  }
  const subcommands = group.map((c) => c.name.slice(first.length + 1));
  return `unknown subcommand "${second}" for ${first} (${subcommands.join(', ')})${didYouMean(second, subcommands)}`;
}

/** The command name, or group word, a mistyped `words` most likely meant (`agin` → aging, `audti` → audit). */
export function closestCommandName(available: readonly CommandSpec[], words: readonly string[]): string | undefined {
  const names = new Set(available.flatMap((c) => [c.name, c.name.split(' ')[0] ?? c.name]));
  return closestMatch(words.join(' '), [...names]);
}

/** Node's messages mention internals ("ERR_PARSE_ARGS_…"); people need the flag and what went wrong. */
function cleanParseArgsMessage(error: unknown, args: readonly string[], spec: CommandSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  const ambiguous = ambiguousValueMessage(message, args);
  if (ambiguous) return ambiguous;
  const first = message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? message;
  const unknown = /^Unknown option '(--[^']+)'$/.exec(first)?.[1];
  if (unknown === undefined) return first;
  const flags = Object.keys({ ...spec.options, ...GLOBAL_OPTIONS }).map((name) => `--${name}`);
  return `${first}${didYouMean(unknown, flags)}`;
}

/**
 * `--incidents -5`: parseArgs will not take a value that starts with a dash and calls it "ambiguous". Say which
 * value it refused and how to pass it, so the option's own check can then explain what is wrong with it.
 */
function ambiguousValueMessage(message: string, args: readonly string[]): string | null {
  const flag = /^Option '([^']+)' argument is ambiguous/.exec(message)?.[1];
  if (flag === undefined) return null;
  const long = /use '(--[\w-]+)=-XYZ'/.exec(message)?.[1] ?? flag;
  const value = args[args.indexOf(flag) + 1];
  const shown = value === undefined ? 'a value starting with "-"' : `"${value}"`;
  const example = value === undefined ? `${long}=-1` : `${long}=${value}`;
  return `${long} needs a value, and ${shown} starts with a dash so it reads as another option; write ${example} if that is the value you mean`;
}

export function overviewHelp(registry: readonly CommandSpec[], program: string, surface: CommandSurface = 'cli'): View {
  // In chat, people with different roles read the same list; say up front which commands need more.
  const rows = registry.map((c) => ({
    command: `${program} ${c.name}`,
    summary: surface === 'chat' && c.role !== 'viewer' ? `${c.summary} (needs the ${c.role} role)` : c.summary,
  }));
  return {
    title: `${program}: DLP incident SLAs, in chat and on the command line`,
    tone: 'neutral',
    blocks: [
      { type: 'text', text: `Usage: ${program} <command> [options]` },
      {
        type: 'table',
        columns: [
          { key: 'command', label: 'Command' },
          { key: 'summary', label: 'What it does' },
        ],
        rows,
      },
      {
        type: 'context',
        text: `${program} help <command> shows a command's options and examples.${surface === 'cli' ? ` ${program} --version prints the version.` : ''}`,
      },
    ],
  };
}

/** A command's usage, details and examples; chat leaves out `--json` and the terminal's examples. */
export function commandHelp(spec: CommandSpec, program: string, surface: CommandSurface = 'cli'): View {
  const details = surface === 'chat' ? spec.details.filter((d) => !d.trimStart().startsWith('--json')) : spec.details;
  const examples = surface === 'chat' ? spec.examples.filter((e) => e.startsWith(`${program} `)) : spec.examples;
  return {
    title: `${program} ${spec.name}: ${spec.summary}`,
    tone: 'neutral',
    blocks: [
      { type: 'text', text: `Usage: ${usageLine(spec, program, surface)}` },
      ...(details.length ? [{ type: 'text' as const, text: details.join('\n') }] : []),
      ...(examples.length
        ? [{ type: 'text' as const, text: `Examples:\n${examples.map((e) => `  ${e}`).join('\n')}` }]
        : []),
    ],
  };
}
