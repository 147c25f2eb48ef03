import { parseArgs } from 'node:util';
import type { View } from '../src/views/view.js';
import type { CommandSpec, RawArgs } from './command.js';

export type ParsedCommand =
  | { kind: 'run'; spec: CommandSpec; args: unknown }
  | { kind: 'help'; view: View }
  | { kind: 'usage_error'; message: string; usage: string };

/** Flags every command accepts; handled by the surface, not by the command. */
const GLOBAL_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

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

export function usageLine(spec: CommandSpec, program: string): string {
  return `${program} ${spec.name}${spec.usage ? ` ${spec.usage}` : ''}`;
}

export function parseCommand(
  registry: readonly CommandSpec[],
  argv: readonly string[],
  program: string,
  surface: 'cli' | 'chat',
): ParsedCommand {
  const available = registry.filter((c) => c.surfaces.includes(surface));
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const topic = argv[0] === 'help' ? argv.slice(1) : [];
    const found = topic.length ? findCommand(available, topic) : null;
    return { kind: 'help', view: found ? commandHelp(found.spec, program) : overviewHelp(available, program) };
  }
  const found = findCommand(available, argv);
  if (!found) {
    const group = available.filter((c) => c.name.startsWith(`${argv[0]} `));
    const hint = group.length
      ? `"${argv[0]}" needs a subcommand: ${group.map((c) => c.name).join(', ')}`
      : `unknown command "${argv[0]}"`;
    return { kind: 'usage_error', message: hint, usage: `${program} --help lists the commands` };
  }
  const { spec, rest } = found;
  const usage = usageLine(spec, program);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...spec.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { kind: 'usage_error', message: cleanParseArgsMessage(error), usage };
  }
  if (parsed.values.help) return { kind: 'help', view: commandHelp(spec, program) };
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

/** Node's messages mention internals ("ERR_PARSE_ARGS_…"); people need the flag and what went wrong. */
function cleanParseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? message;
}

export function overviewHelp(registry: readonly CommandSpec[], program: string): View {
  const rows = registry.map((c) => ({ command: `${program} ${c.name}`, summary: c.summary }));
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
      { type: 'context', text: `${program} <command> --help shows a command's options and examples.` },
    ],
  };
}

export function commandHelp(spec: CommandSpec, program: string): View {
  return {
    title: `${program} ${spec.name}: ${spec.summary}`,
    tone: 'neutral',
    blocks: [
      { type: 'text', text: `Usage: ${usageLine(spec, program)}` },
      ...(spec.details.length ? [{ type: 'text' as const, text: spec.details.join('\n') }] : []),
      ...(spec.examples.length
        ? [{ type: 'text' as const, text: `Examples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}` }]
        : []),
    ],
  };
}
