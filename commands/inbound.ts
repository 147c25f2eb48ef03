import type { ChatCommands } from '../src/app/bot.js';
import type { Runtime } from '../src/app/runtime.js';
import type { Logger } from '../src/log.js';
import type { AdapterDefinition, Clock } from '../src/ports/index.js';
import { runChatCommand } from './chat.js';
import type { CommandSpec } from './command.js';

export interface ChatCommandDeps {
  runtime: Runtime;
  commands: readonly CommandSpec[];
  adapters: readonly AdapterDefinition[];
  clock: Clock;
  logger: Logger;
}

/** `/dlp …` from the command registry, for the bot's chat listeners (triage comes from the core itself). */
export function createChatCommands(deps: ChatCommandDeps): ChatCommands {
  const { runtime, clock, logger } = deps;
  return {
    run: (text, user, role, channel, correlationId) =>
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
