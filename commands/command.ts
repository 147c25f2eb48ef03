import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { Runtime } from '../src/app/runtime.js';
import type { Invoker, Role } from '../src/domain/roles.js';
import type { Logger } from '../src/log.js';
import type { AdapterDefinition, Clock } from '../src/ports/index.js';
import type { View } from '../src/views/view.js';

/** What every command gets. Surfaces (CLI, Slack, Teams) build it; commands never touch a platform. */
export interface CommandContext {
  invoker: Invoker;
  clock: Clock;
  logger: Logger;
  correlationId: string;
  /** Every registered vendor adapter (for `simulate`, which needs no config). */
  adapters: readonly AdapterDefinition[];
  /** The command registry, for commands that run other commands (`serve` answers `/dlp` in chat). */
  commands: readonly CommandSpec[];
  /** The configured (or sandbox) application, built on first use; throws ConfigInvalidError. */
  runtime(): Runtime;
  /** Shows a transient progress line on a terminal; a no-op elsewhere. `null` clears it. */
  progress(line: string | null): void;
  /** Long-running commands (serve, simulate) print their own output through this. */
  print(view: View): void;
  /** Resolves when the person asks to stop (Ctrl-C / SIGTERM); long-running commands await it. */
  stopRequested: Promise<void>;
  /** The terminal's working directory, which a file named on the command line is relative to; chat has none. */
  cwd?: string;
  /** `--verbose` on the command line: say more (serve prints its full sandbox description). */
  verbose?: boolean;
}

export interface CommandResult {
  view: View;
  /** The machine-readable form printed by `--json`. */
  data?: unknown;
  /** Printed verbatim on the CLI instead of the view (exports); the view is then a summary for chat. */
  output?: string;
  /** Process exit code on the CLI; chat surfaces ignore it. 0 by default. */
  exitCode?: number;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Where a command line came from: a terminal, or `/dlp …` in a chat platform. */
export type CommandSurface = 'cli' | 'chat';

/** How each surface names the program in usage lines and help. */
export const PROGRAMS: Readonly<Record<CommandSurface, string>> = { cli: 'dlp-bot', chat: '/dlp' };

/** Chat platforms, the console and the scheduler all answer in chat; only a terminal is the CLI. */
export function surfaceOf(invoker: Pick<Invoker, 'surface'>): CommandSurface {
  return invoker.surface === 'cli' ? 'cli' : 'chat';
}

/** Parsed command line handed to a command's zod schema: flags by name, positionals under `_`. */
export interface RawArgs {
  _: string[];
  [flag: string]: string | boolean | string[] | undefined;
}

/** One subcommand, one file. `commands/index.ts` lists them; help and the manifest come from that list. */
export interface CommandSpec<A = unknown> {
  /** One or two words: `aging`, `audit verify`. */
  name: string;
  summary: string;
  /** Arguments after the name, e.g. `[severity] [--source S] [--limit N] [--json]`. */
  usage: string;
  /** What each flag and positional means, one line each, shown by `--help`. */
  details: string[];
  examples: string[];
  options: Options;
  args: z.ZodType<A, RawArgs>;
  role: Role;
  /** `chat` commands also answer `/dlp …` in Slack and Teams; `cli` ones are for operators only. */
  surfaces: readonly CommandSurface[];
  run(args: A, ctx: CommandContext): Promise<CommandResult>;
}

/** Erases the args type so specs with different arguments can share one registry array. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<unknown> {
  return spec as CommandSpec<unknown>;
}
