import type { Runtime } from '../src/app/runtime.js';
import type { Logger } from '../src/log.js';
import type { ChatCommands } from '../src/ports/inbound.js';
import type { AdapterDefinition, Clock } from '../src/ports/index.js';
import { runChatCommand } from './chat.js';
import { commandSubject } from './chat-audit.js';
import type { CommandSpec } from './command.js';

export interface ChatCommandDeps {
  runtime: Runtime;
  commands: readonly CommandSpec[];
  adapters: readonly AdapterDefinition[];
  clock: Clock;
  logger: Logger;
}

/** `/dlp …` from the command registry, for the bot's chat listeners (the core's gate checks, dedupes and audits). */
export function createChatCommands(deps: ChatCommandDeps): ChatCommands {
  const { runtime, clock, logger } = deps;
  return {
    subject: async (text) => commandSubject(deps.commands, text, await configuredSources(runtime)),
    run: (text, { user, role, channel, correlationId }) =>
      runChatCommand(deps.commands, text, {
        user,
        role,
        channel,
        correlationId,
        runtime,
        clock,
        logger: logger.child({ correlationId }),
        adapters: deps.adapters,
      }),
    names: () => deps.commands.filter((c) => c.surfaces.includes('chat')).map((c) => c.name.toLowerCase()),
  };
}

/** The source ids an audit row may name; with no usable config, none, so no typed word passes for one. */
async function configuredSources(runtime: Runtime): Promise<Set<string>> {
  const config = await runtime.config().catch(() => null);
  return new Set(config?.sources.map((s) => s.id));
}
