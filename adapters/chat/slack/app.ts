import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../../src/log.js';
import type { SlackConfig } from './config.js';
import type { SlackTransport } from './egress.js';
import { slackLogger } from './logger.js';
import { refuseFutureRequests } from './request-time.js';
import { keepReconnecting, type Reconnector } from './socket-reconnect.js';
import { slackStartError } from './start-error.js';
import { timeoutMs } from './web.js';
import { RECEIVED_AT } from './wire-context.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface RunningSlackApp {
  app: App;
  /** The HTTP receiver's URL in HTTP mode; undefined in Socket Mode (nothing listens here). */
  address?: string;
  /** Socket Mode: whether the WebSocket is up now. */
  connected?(): boolean;
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
  transport?: SlackTransport | null,
): Promise<RunningSlackApp> {
  // Bolt's own client only reads (auth.test, apps.connections.open): bounded retries are safe there.
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(transport ? { fetch: transport.fetch } : {}),
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
  let socketUp = false;
  let app: App;
  if (config.mode === 'socket') {
    // What `socketMode: true` builds, but with the SDK's reconnects off (apps.connections.open also goes to apiUrl).
    const receiver = new SocketModeReceiver({
      appToken: config.appTokenEnv?.reveal() ?? '',
      logger: common.logger,
      autoReconnectEnabled: false,
      ...(transport ? { dispatcher: transport.dispatcher } : {}),
      installerOptions: { clientOptions: { ...clientOptions } },
      customPropertiesExtractor: () => ({ [RECEIVED_AT]: performance.now() }),
    });
    receiver.client.on('connected', () => {
      socketUp = true;
    });
    receiver.client.on('disconnected', () => {
      socketUp = false;
    });
    reconnector = keepReconnecting(receiver.client, logger.child({ component: 'slack' }));
    app = new App({ ...common, receiver });
  } else {
    // What `signingSecret` builds, with requests dated in the future refused as stale ones are.
    const arrivals = new WeakMap<IncomingMessage, number>();
    const receiver = new HTTPReceiver({
      signingSecret: config.signingSecretEnv?.reveal() ?? '',
      endpoints: SLACK_EVENTS_PATH,
      logger: common.logger,
      // Bolt hands this the request it was given, once read and verified; its arrival was stamped before that.
      customPropertiesExtractor: (request) => ({ [RECEIVED_AT]: arrivals.get(request) ?? performance.now() }),
    });
    const refusing = refuseFutureRequests(receiver.requestListener, logger.child({ component: 'slack' }));
    receiver.requestListener = (request, response) => {
      arrivals.set(request, performance.now());
      refusing(request, response);
    };
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
      connected: () => socketUp,
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
