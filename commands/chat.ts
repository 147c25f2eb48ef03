import type { Runtime } from '../src/app/runtime.js';
import { hasRole, type Invoker, type Role } from '../src/domain/roles.js';
import { bindOnce, type Logger } from '../src/log.js';
import type { ChatUser, CommandReply } from '../src/ports/inbound.js';
import type { AdapterDefinition, Clock } from '../src/ports/index.js';
import type { View } from '../src/views/view.js';
import { auditChatCommand, type ChatCommandAudit } from './chat-audit.js';
import { type CommandContext, type CommandSpec, PROGRAMS } from './command.js';
import { findCommand, parseCommand, tokenize } from './parse.js';

const PROGRAM = PROGRAMS.chat;
const SHARE = '--share';
const CHAT_INVOKER_SURFACES = ['console', 'slack', 'teams'] as const;

export interface ChatCommandOptions {
  user: ChatUser;
  /** The role the core gave this user; `none` refuses every command, help included. */
  role: Role | 'none';
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
 * Answers `/dlp <text>` from Slack or Teams with the same registry and handlers as the CLI. Every answer is
 * a view: bad input gets usage, a missing role a denial, a crash a correlation id; only a command's own
 * result is shared with the channel, and only when the person added `--share`.
 */
export async function runChatCommand(
  registry: readonly CommandSpec[],
  text: string,
  options: ChatCommandOptions,
): Promise<CommandReply> {
  const { user, correlationId } = options;
  const logger = bindOnce(options.logger, { correlationId, surface: user.surface, user: user.userId });
  const tokens = tokenize(text);
  const found = findCommand(
    registry.filter((c) => c.surfaces.includes('chat')),
    tokens.filter((t) => t !== SHARE),
  );
  const asked = tokens[0] === 'help' || tokens.length === 0 ? 'help' : (found?.spec.name ?? null);
  const { reply, audit } = await answer(registry, tokens, options, logger);
  const spec = asked === 'help' ? (registry.find((c) => c.name === 'help') ?? null) : (found?.spec ?? null);
  auditChatCommand(
    options.runtime.store,
    {
      command: asked,
      args: found && asked !== 'help' ? tokens.slice(found.spec.name.split(' ').length) : tokens.slice(1),
      ...audit,
      user,
      channel: options.channel,
      correlationId,
      at: options.clock.now(),
    },
    { spec, registry, sources: await configuredSources(options.runtime) },
    logger,
  );
  return reply;
}

/** The source ids the audit row may name; with no usable config, none, so no typed word passes for one. */
async function configuredSources(runtime: Runtime): Promise<Set<string>> {
  const config = await runtime.config().catch(() => null);
  return new Set(config?.sources.map((s) => s.id));
}

async function answer(
  registry: readonly CommandSpec[],
  tokens: readonly string[],
  options: ChatCommandOptions,
  logger: Logger,
): Promise<{ reply: CommandReply; audit: Pick<ChatCommandAudit, 'result' | 'detail'> }> {
  const { role, correlationId } = options;
  const share = tokens.includes(SHARE);
  const argv = tokens.filter((t) => t !== SHARE);
  const invalid = (view: View) => ({
    reply: privately(view),
    audit: { result: 'invalid' as const, detail: { error: 'usage' } },
  });
  if (role === 'none') {
    return {
      reply: privately(deniedView(`${PROGRAM}`, 'viewer')),
      audit: { result: 'denied', detail: { role, required: 'viewer' } },
    };
  }
  // A reply is a message, never a JSON dump; saying so beats silently ignoring the flag.
  if (argv.some((t) => t === '--json' || t.startsWith('--json='))) {
    return invalid(
      usageView('--json is for the dlp-bot command line; in chat the answer is always a message', `${PROGRAM} help`),
    );
  }
  const parsed = parseCommand(registry, argv, PROGRAM, 'chat');
  if (parsed.kind === 'help') return { reply: { view: parsed.view, share }, audit: { result: 'answered' } };
  if (parsed.kind === 'usage_error') return invalid(usageView(parsed.message, parsed.usage));
  const { spec, args } = parsed;
  if (!hasRole(role, spec.role)) {
    logger.info({ command: spec.name, role, needed: spec.role }, 'chat command denied');
    return {
      reply: privately(deniedView(`${PROGRAM} ${spec.name}`, spec.role)),
      audit: { result: 'denied', detail: { role, required: spec.role } },
    };
  }
  try {
    const ctx = chatContext(registry, options, role, logger.child({ command: spec.name }));
    const result = await spec.run(args, ctx);
    return { reply: { view: result.view, share }, audit: { result: 'answered', detail: { role, shared: share } } };
  } catch (error) {
    logger.error({ err: error, command: spec.name }, 'chat command failed unexpectedly');
    const reply = privately({
      title: `Something went wrong (correlation id ${correlationId})`,
      tone: 'danger',
      blocks: [{ type: 'context', text: `${PROGRAM} ${spec.name} failed; the details are in the dlp-bot log.` }],
    });
    return { reply, audit: { result: 'failed', detail: { role, error: 'unexpected' } } };
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
