import type { Runtime } from '../src/app/runtime.js';
import type { Logger } from '../src/log.js';
import type { AdapterDefinition, Clock } from '../src/ports.js';
import type { ActionSpec } from '../src/triage/action-spec.js';
import { createActionTable } from '../src/triage/action-table.js';
import { createInboundHandlers } from '../src/triage/handlers.js';
import type { InboundHandlers } from '../src/triage/types.js';
import { runChatCommand } from './chat.js';
import type { CommandSpec } from './command.js';

export interface InboundDeps {
  runtime: Runtime;
  commands: readonly CommandSpec[];
  adapters: readonly AdapterDefinition[];
  /** The triage action registry, settled here by the config's `triage` section. */
  actions: readonly ActionSpec[];
  clock: Clock;
  logger: Logger;
  /** Called after a click changed an incident, so its messages update now rather than at the next run. */
  onChange: () => void;
}

/** Everything a chat surface needs for inbound traffic: triage from the core, `/dlp` from the command registry. */
export async function createChatHandlers(deps: InboundDeps): Promise<InboundHandlers> {
  const { runtime, clock, logger } = deps;
  const [config, sources, policy] = await Promise.all([runtime.config(), runtime.sources(), runtime.policy()]);
  const triage = createInboundHandlers({
    store: runtime.store(),
    sources: new Map(sources.map((source) => [source.id, source])),
    policy,
    roles: config.roles,
    identity: config.identity,
    actions: createActionTable(deps.actions, config.triage),
    clock,
    logger,
    onChange: deps.onChange,
  });
  return {
    ...triage,
    command: (text, user, channel, correlationId) =>
      runChatCommand(deps.commands, text, {
        user,
        role: triage.roleOf(user),
        channel,
        correlationId,
        runtime,
        clock,
        logger: logger.child({ correlationId }),
        adapters: deps.adapters,
        actions: deps.actions,
      }),
    commandNames: () => deps.commands.filter((c) => c.surfaces.includes('chat')).map((c) => c.name.toLowerCase()),
  };
}
