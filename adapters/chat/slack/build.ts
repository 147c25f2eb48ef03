import type { ChatSurface, SurfaceDeps } from '../../../src/ports/index.js';
import type { SlackConfig } from './config.js';
import { slackTransport } from './egress.js';
import { createSlackSurface } from './surface.js';
import { createSlackDirectory } from './users.js';
import { createSlackWebClient } from './web.js';
import { wireSlack } from './wire-table.js';
import { servedWorkspaces, workspaceCheck } from './workspace.js';

/**
 * The Slack surface of a switched-on `chat.slack` section: the Web API client now, Bolt only when it starts
 * listening (`serve`), since a one-shot command that posts cards never receives a click.
 */
export function buildSlackSurface(config: SlackConfig, deps: SurfaceDeps): ChatSurface {
  const logger = deps.logger;
  const transport = slackTransport(deps.egress);
  const client = createSlackWebClient(config, logger, transport);
  return {
    ...createSlackSurface(config, client),
    async listen(handlers) {
      const directory = createSlackDirectory({
        client,
        clock: deps.clock,
        logger,
        groupIds: () => handlers.groupIds(),
      });
      const served = await servedWorkspaces(config, client, logger);
      const { startSlackApp } = await import('./app.js');
      const running = await startSlackApp(
        config,
        logger,
        (app) => {
          wireSlack(app, {
            handlers,
            directory,
            client,
            logger,
            workspaceRefusal: workspaceCheck(served),
            ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
          });
        },
        transport,
      );
      logger.info({ mode: config.mode, address: running.address ?? null }, 'Slack connected');
      return {
        ...(running.address ? { address: running.address } : {}),
        ...(running.connected ? { connected: running.connected } : {}),
        stop: running.stop,
      };
    },
  };
}
