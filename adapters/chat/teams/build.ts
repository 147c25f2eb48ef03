import type { ChatSurface, SurfaceDeps } from '../../../src/ports/index.js';
import { createBotAdapter } from './adapter.js';
import type { TeamsConfig } from './config.js';
import { createConversationBook } from './conversations.js';
import { createTeamsDirectory } from './directory.js';
import { createGraphGroups } from './groups.js';
import { createSendWindows } from './send-window.js';
import { startMessagesServer } from './server.js';
import { createTeamsSurface } from './surface.js';
import { createTeamsApplication } from './wire.js';

/** The Teams surface of a switched-on `chat.teams` section (the Bot Framework adapter posts and receives alike). */
export function buildTeamsSurface(config: TeamsConfig, deps: SurfaceDeps): ChatSurface {
  const logger = deps.logger;
  const bot = createBotAdapter(config, logger);
  const book = createConversationBook({ repo: () => deps.store().conversationRefs, clock: deps.clock, logger });
  return {
    ...createTeamsSurface(config, bot, book, { logger, windows: createSendWindows(deps.clock) }),
    async listen(handlers) {
      const directory = createTeamsDirectory({
        clock: deps.clock,
        logger,
        analysts: config.analysts,
        groups: createGraphGroups(config, { clock: deps.clock, logger, egress: deps.egress }) ?? undefined,
        groupIds: () => handlers.groupIds(),
      });
      const app = createTeamsApplication({ config, handlers, directory, book, bot, logger });
      // Unauthenticated, anyone who can reach the port can act as anyone: loopback unless told otherwise.
      const host = config.host ?? (bot.appId ? '0.0.0.0' : '127.0.0.1');
      const server = await startMessagesServer(
        { ...config, host },
        bot.adapter,
        async (context) => void (await app.run(context)),
        logger,
      );
      logger.info({ address: server.address, authenticated: bot.appId !== '' }, 'Teams listening');
      return server;
    },
  };
}
