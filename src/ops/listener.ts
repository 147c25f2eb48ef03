import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface OpsListener {
  /** `http://127.0.0.1:9464`: where /livez, /readyz and /metrics answer. */
  address: string;
  close(): Promise<void>;
}

export interface OpsListenerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  readiness(): Readiness;
  logger: Logger;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(body)}\n`);
};

/**
 * The ops listener: `/livez` (the process answers), `/readyz` (200 when every readiness check passes, else 503, the
 * checks in the body either way) and `/metrics` (Prometheus text format). GET and HEAD only; it reads, never writes.
 */
export async function startOpsListener(options: OpsListenerOptions): Promise<OpsListener> {
  const { metrics, logger } = options;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/livez') return json(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      const readiness = options.readiness();
      return json(response, readiness.ready ? 200 : 503, {
        status: readiness.ready ? 'ready' : 'not ready',
        failed: readiness.checks.filter((c) => !c.ok).map((c) => c.check),
        checks: readiness.checks,
      });
    }
    if (path === '/metrics') {
      metrics.scrape().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
          response.end(text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'collecting /metrics failed');
          json(response, 500, { status: 'error', detail: 'collecting the metrics failed; see the log' });
        },
      );
      return;
    }
    json(response, 404, { status: 'not found', paths: ['/livez', '/readyz', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  logger.info({ host: address, port }, 'ops listener started');
  return {
    address: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
