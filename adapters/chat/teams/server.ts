import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity, TurnContext } from 'botbuilder';
import { StartupError } from '../../../src/app/startup-error.js';
import type { Logger } from '../../../src/log.js';
import type { BotFrameworkAdapter } from './adapter.js';
import type { TeamsConfig } from './config.js';

export const MESSAGES_PATH = '/api/messages';

/** Teams sends activities of a few KB; cards in them stay far below this. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RunningServer {
  address: string;
  stop(): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * botframework-connector's AuthenticationError (which botbuilder does not re-export), or what jsonwebtoken throws
 * for a token it cannot verify: the connector lets those escape as they are, e.g. a bad signature under a key id
 * the Bot Framework publishes, which is a forged token and no server error.
 */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);
const isAuthenticationError = (error: unknown) =>
  error instanceof Error && (error.constructor.name === 'AuthenticationError' || TOKEN_ERRORS.has(error.name));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, 'activity too large');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest(400, 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest(400, 'expected an activity');
  return body as Record<string, unknown>;
}

/**
 * `POST /api/messages` on plain node:http, handing each activity to the adapter's `processActivity` (which
 * checks the Bot Framework token when an app id is configured). This is what `CloudAdapter.process` does for
 * Express, without Express and without its `console.error` on every refused request.
 */
export async function startMessagesServer(
  config: TeamsConfig & { host: string },
  adapter: BotFrameworkAdapter,
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger,
): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body?: unknown) => {
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== MESSAGES_PATH) return send(404);
    if (req.method !== 'POST') return send(405);
    void (async () => {
      try {
        const activity = await readJson(req);
        if (typeof activity.type !== 'string') return send(400, { error: 'activity has no type' });
        const auth = req.headers.authorization ?? '';
        const invokeResponse = await adapter.handle(auth, activity as unknown as Activity, logic);
        send(invokeResponse?.status ?? 200, invokeResponse?.body);
      } catch (error) {
        if (error instanceof BadRequest) return send(error.status, { error: error.message });
        if (isAuthenticationError(error)) {
          logger.warn({ remote: req.socket.remoteAddress }, 'Teams request refused: missing or invalid token');
          return send(401, { error: 'unauthorized' });
        }
        logger.error({ err: error }, 'Teams activity failed');
        send(500, { error: 'internal error' });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Teams could not start: port ${config.port} is already in use (chat.teams.port / $TEAMS_PORT).`,
              { cause: error },
            )
          : new StartupError(`Teams could not start: ${error.message}`, { cause: error }),
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    address: `http://${host}:${port}${MESSAGES_PATH}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
