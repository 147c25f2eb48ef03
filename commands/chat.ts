import type { Runtime } from '../src/app/runtime.js';
import { hasRole, type Invoker, type Role } from '../src/domain/roles.js';
import { bindOnce, type Logger } from '../src/log.js';
import type { ChatUser, CommandReply, CommandRun } from '../src/ports/inbound.js';
import type { AdapterDefinition, Clock } from '../src/ports/index.js';
import type { View } from '../src/views/view.js';
import { SHARE } from './chat-audit.js';
import { type CommandContext, type CommandSpec, PROGRAMS } from './command.js';
import { parseCommand, tokenize } from './parse.js';

const PROGRAM = PROGRAMS.chat;
const CHAT_INVOKER_SURFACES = ['console', 'slack', 'teams'] as const;

export interface ChatCommandOptions {
  user: ChatUser;
  /** The role the core's gate gave this user (someone with none never gets here). */
  role: Role;
  channel: string | null;
  correlationId: string;
  runtime: Runtime;
  clock: Clock;
  logger: Logger;
  adapters: readonly AdapterDefinition[];
}

/** Never settles: nothing in chat asks a command to stop. */
const NEVER = new Promise<void>(() => {});

const privately = (view: View): CommandReply => ({ view, share: false });

function usageView(message: string, usage: string): View {
  return {
    title: `${PROGRAM}: ${message}`,
    tone: 'warning',
    blocks: [
      { type: 'text', text: `Usage: ${usage}` },
      { type: 'context', text: `${PROGRAM} help lists the commands; ${PROGRAM} help <command> explains one.` },
    ],
  };
}

function deniedView(what: string, needed: Role): View {
  return {
    title: `${what} needs the ${needed} role`,
    tone: 'warning',
    blocks: [
      { type: 'context', text: 'Roles come from the roles section of the dlp-bot config; ask a dlp-bot admin.' },
    ],
  };
}

/**
 * Answers `/dlp <text>` from Slack or Teams with the same registry and handlers as the CLI, for someone the core's
 * gate let through (which also writes the audit row from what this returns). Every answer is a view: bad input
 * gets usage, a missing role a denial, a crash a correlation id; only a command's own result is shared with the
 * channel, and only when the person added `--share`.
 */
export async function runChatCommand(
  registry: readonly CommandSpec[],
  text: string,
  options: ChatCommandOptions,
): Promise<CommandRun> {
  const { user, correlationId, role } = options;
  const logger = bindOnce(options.logger, { correlationId, surface: user.surface, user: user.userId });
  const tokens = tokenize(text);
  const share = tokens.includes(SHARE);
  const argv = tokens.filter((t) => t !== SHARE);
  const invalid = (view: View): CommandRun => ({
    reply: privately(view),
    result: 'invalid',
    detail: { error: 'usage' },
  });
  // A reply is a message, never a JSON dump; saying so beats silently ignoring the flag.
  if (argv.some((t) => t === '--json' || t.startsWith('--json='))) {
    return invalid(
      usageView('--json is for the dlp-bot command line; in chat the answer is always a message', `${PROGRAM} help`),
    );
  }
  const parsed = parseCommand(registry, argv, PROGRAM, 'chat');
  if (parsed.kind === 'help') return { reply: { view: parsed.view, share }, result: 'answered' };
  if (parsed.kind === 'usage_error') return invalid(usageView(parsed.message, parsed.usage));
  const { spec, args } = parsed;
  if (!hasRole(role, spec.role)) {
    logger.info({ command: spec.name, role, needed: spec.role }, 'chat command denied');
    return {
      reply: privately(deniedView(`${PROGRAM} ${spec.name}`, spec.role)),
      result: 'denied',
      detail: { role, required: spec.role },
    };
  }
  try {
    const ctx = chatContext(registry, options, role, logger.child({ command: spec.name }));
    const result = await spec.run(args, ctx);
    return { reply: { view: result.view, share }, result: 'answered', detail: { role, shared: share } };
  } catch (error) {
    logger.error({ err: error, command: spec.name }, 'chat command failed unexpectedly');
    const reply = privately({
      title: `Something went wrong (correlation id ${correlationId})`,
      tone: 'danger',
      blocks: [{ type: 'context', text: `${PROGRAM} ${spec.name} failed; the details are in the dlp-bot log.` }],
    });
    return { reply, result: 'failed', detail: { role, error: 'unexpected' } };
  }
}

function chatContext(
  registry: readonly CommandSpec[],
  options: ChatCommandOptions,
  role: Role,
  logger: Logger,
): CommandContext {
  const { user, runtime } = options;
  return {
    invoker: {
      surface: invokerSurface(user.surface),
      userId: user.userId,
      display: user.display,
      email: user.email,
      role,
    },
    clock: options.clock,
    logger,
    correlationId: options.correlationId,
    adapters: options.adapters,
    commands: registry,
    runtime: () => runtime,
    progress: () => {},
    print: () => {},
    stopRequested: NEVER,
  };
}

function invokerSurface(surface: string): Invoker['surface'] {
  const known = CHAT_INVOKER_SURFACES.find((s) => s === surface);
  if (!known) throw new TypeError(`chat command from an unknown surface "${surface}"`);
  return known;
}
