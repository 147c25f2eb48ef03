import type { ChatSurfaceDefinition } from '../../../src/ports.js';
import { startSlackApp } from './app.js';
import { type SlackConfig, slackConfigSpec, slackSandboxConfig } from './config.js';
import { createSlackSurface } from './surface.js';
import { createSlackDirectory } from './users.js';
import { createSlackWebClient } from './web.js';
import { wireButtons } from './wire-buttons.js';
import { wireCommand } from './wire-command.js';
import { wireForms } from './wire-forms.js';

/** Slack: cards out through the Web API; clicks, forms and `/dlp` in through Bolt (Socket Mode or HTTP). */
export const slack: ChatSurfaceDefinition = {
  id: 'slack',
  config: slackConfigSpec,
  sandboxConfig: slackSandboxConfig,
  create(section, deps) {
    if (!section || section.enabled === false) return null;
    const config = section as unknown as SlackConfig;
    const logger = deps.logger;
    const client = createSlackWebClient(config, logger);
    return {
      ...createSlackSurface(config, client),
      async listen(handlers) {
        const directory = createSlackDirectory({
          client,
          clock: deps.clock,
          logger,
          groupIds: () => handlers.groupIds(),
        });
        const running = await startSlackApp(config, logger, (app) => {
          const wire = { handlers, directory, client, logger };
          wireButtons(app, wire);
          wireForms(app, wire);
          wireCommand(app, wire);
        });
        logger.info({ mode: config.mode, address: running.address ?? null }, 'Slack connected');
        return { ...(running.address ? { address: running.address } : {}), stop: running.stop };
      },
    };
  },
};
