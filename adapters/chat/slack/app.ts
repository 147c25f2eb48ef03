import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../../src/log.js';
import type { SlackConfig } from './config.js';
import { slackLogger } from './logger.js';
import { refuseFutureRequests } from './request-time.js';
import { keepReconnecting, type Reconnector } from './socket-reconnect.js';
import { slackStartError } from './start-error.js';
import { timeoutMs } from './web.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface RunningSlackApp {
  app: App;
  /** The HTTP receiver's URL in HTTP mode; undefined in Socket Mode (nothing listens here). */
  address?: string;
  stop(): Promise<void>;
}

/**
 * Bolt, in Socket Mode (default: an outbound WebSocket, no inbound port) or HTTP mode (signed requests to
 * /slack/events only). Initialisation is awaited so a bad token fails the start with a clear message
 * instead of surfacing on the first click. In Socket Mode the SDK's own reconnects are off: `keepReconnecting`
 * does them (see there for why).
 */
export async function startSlackApp(
  config: SlackConfig,
  logger: Logger,
  register: (app: App) => void,
): Promise<RunningSlackApp> {
  // Bolt's own client only reads (auth.test, apps.connections.open): bounded retries are safe there.
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    timeout: timeoutMs(config),
  };
  const common = {
    token: config.botTokenEnv.reveal(),
    logger: slackLogger(logger),
    deferInitialization: true,
    clientOptions,
  };
  let reconnector: Reconnector | undefined;
  let app: App;
  if (config.mode === 'socket') {
    // What `socketMode: true` builds, but with the SDK's reconnects off (apps.connections.open also goes to apiUrl).
    const receiver = new SocketModeReceiver({
      appToken: config.appTokenEnv?.reveal() ?? '',
      logger: common.logger,
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: { ...clientOptions } },
    });
    reconnector = keepReconnecting(receiver.client, logger.child({ component: 'slack' }));
    app = new App({ ...common, receiver });
  } else {
    // What `signingSecret` builds, with requests dated in the future refused as stale ones are.
    const receiver = new HTTPReceiver({
      signingSecret: config.signingSecretEnv?.reveal() ?? '',
      endpoints: SLACK_EVENTS_PATH,
      logger: common.logger,
    });
    receiver.requestListener = refuseFutureRequests(receiver.requestListener, logger.child({ component: 'slack' }));
    app = new App({ ...common, receiver });
  }
  register(app);
  try {
    await app.init();
  } catch (error) {
    reconnector?.stop();
    throw slackStartError(error, config);
  }
  if (reconnector) {
    const { stop: stopReconnecting } = reconnector;
    try {
      await app.start();
    } catch (error) {
      stopReconnecting();
      throw slackStartError(error, config, 'app_token');
    }
    return {
      app,
      stop: async () => {
        stopReconnecting();
        await app.stop();
      },
    };
  }
  let server: Awaited<ReturnType<App['start']>>;
  try {
    server = await app.start(config.port);
  } catch (error) {
    throw slackStartError(error, config);
  }
  const port = (server.address() as AddressInfo | null)?.port ?? config.port;
  return {
    app,
    address: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
    stop: async () => void (await app.stop()),
  };
}
