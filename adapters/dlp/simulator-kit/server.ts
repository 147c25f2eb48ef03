import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './respond.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface LoopbackServerOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Loopback only: simulators must never be reachable from another machine. */
  host?: '127.0.0.1' | '::1';
}

export interface LoopbackServer {
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: RequestHandler,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        // A simulator bug must surface to the client as a 500, not hang the request.
        if (!res.headersSent) sendJson(res, 500, { error: 'simulator_error', message: 'the simulator failed' });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Pooled keep-alive sockets (undici, fetch) would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
