import { StartupError } from '../../../src/app/startup-error.js';
import { isLoopbackHost } from '../../../src/config/url-schema.js';
import type { ChatSurface, SurfaceDeps } from '../../../src/ports/index.js';
import { createBotAdapter } from './adapter.js';
import type { TeamsConfig } from './config.js';
import { createConversationBook } from './conversations.js';
import { createTeamsDirectory } from './directory.js';
import { createGraphGroups } from './groups.js';
import { createSendWindows } from './send-window.js';
import { startMessagesServer } from './server.js';
import { serviceUrlPolicy } from './service-url.js';
import { createTeamsSurface } from './surface.js';
import { createTeamsApplication } from './wire.js';

/** The Teams surface of a switched-on `chat.teams` section (the Bot Framework adapter posts and receives alike). */
export function buildTeamsSurface(config: TeamsConfig, deps: SurfaceDeps): ChatSurface {
  const logger = deps.logger;
  const bot = createBotAdapter(config, logger, deps.egress);
  const serviceUrls = serviceUrlPolicy({ serviceUrls: config.serviceUrls, authenticated: bot.appId !== '' });
  const book = createConversationBook({
    repo: () => deps.store().conversationRefs,
    clock: deps.clock,
    logger,
    serviceUrls,
    teamChannels: (context, teamId) => bot.adapter.teamChannels(context, teamId),
  });
  // Teams' limits are counted on the clock the send queue paces by, so a pause it is told to take frees a slot.
  const { sendTimer } = deps;
  const now = sendTimer ? () => sendTimer.now() : () => deps.clock.now().getTime();
  return {
    ...createTeamsSurface(config, bot, book, { logger, windows: createSendWindows(now) }),
    async listen(handlers) {
      const directory = createTeamsDirectory({
        clock: deps.clock,
        logger,
        analysts: config.analysts,
        groups: createGraphGroups(config, { clock: deps.clock, logger, egress: deps.egress }) ?? undefined,
        groupIds: () => handlers.groupIds(),
      });
      const app = createTeamsApplication({
        config,
        handlers,
        directory,
        book,
        bot,
        serviceUrls,
        logger,
        answerDeadline: deps.answerDeadline,
      });
      // Unauthenticated, anyone who can reach the port can act as anyone: loopback only (the schema says so too).
      const host = config.host ?? (bot.appId ? '0.0.0.0' : '127.0.0.1');
      if (!bot.appId && !(host === '::1' || isLoopbackHost(host))) {
        throw new StartupError(`Teams could not start: chat.teams.auth: none listens on loopback only, not ${host}.`);
      }
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
