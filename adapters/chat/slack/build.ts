import type { ChatSurface, SurfaceDeps } from '../../../src/ports/index.js';
import type { SlackConfig } from './config.js';
import { createSlackSurface } from './surface.js';
import { createSlackDirectory } from './users.js';
import { createSlackWebClient } from './web.js';
import { wireSlack } from './wire-table.js';

/**
 * The Slack surface of a switched-on `chat.slack` section: the Web API client now, Bolt only when it starts
 * listening (`serve`), since a one-shot command that posts cards never receives a click.
 */
export function buildSlackSurface(config: SlackConfig, deps: SurfaceDeps): ChatSurface {
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
      const { startSlackApp } = await import('./app.js');
      const running = await startSlackApp(config, logger, (app) => {
        wireSlack(app, {
          handlers,
          directory,
          client,
          logger,
          ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
        });
      });
      logger.info({ mode: config.mode, address: running.address ?? null }, 'Slack connected');
      return {
        ...(running.address ? { address: running.address } : {}),
        ...(running.connected ? { connected: running.connected } : {}),
        stop: running.stop,
      };
    },
  };
}
