import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach } from 'vitest';
import type { HttpOptions } from '../../../src/config/schema.js';
import { createHttpClient } from '../../../src/http/client.js';
import { createRequestCounter, type RequestCounter } from '../../../src/http/counter.js';
import type { HttpClient, HttpClientOptions } from '../../../src/http/types.js';
import { silentLogger } from '../../../src/log.js';

/** Shared by the http tests: a real node:http server on 127.0.0.1 and a client wired with fake time. */

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Same shape as a responder, so `reply(...)` can serve every request on its own. */
export type Handler = (res: ServerResponse, req: SeenRequest, index: number) => void;

export interface Loopback {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
      seen.body = Buffer.concat(chunks).toString('utf8');
      requests.push(seen);
      handler(res, seen, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers the nth request with the nth responder; the last one repeats. */
export function sequence(...responders: Array<(res: ServerResponse, req: SeenRequest) => void>): Handler {
  return (res, req, index) => {
    const responder = responders[Math.min(index, responders.length - 1)];
    responder?.(res, req);
  };
}

export function reply(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };
}

export function fakeClock(start = 0) {
  let t = start;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    waits,
  };
}

export const testHttp = (overrides: Partial<HttpOptions> = {}): HttpOptions => ({
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 2_000,
  bodyTimeoutMs: 2_000,
  maxRetries: 3,
  connections: 2,
  ...overrides,
});

export interface TestClient {
  client: HttpClient;
  counter: RequestCounter;
  clock: ReturnType<typeof fakeClock>;
}

export function makeClient(
  baseUrl: string,
  overrides: Partial<Omit<HttpClientOptions, 'http'>> & { http?: Partial<HttpOptions> } = {},
): TestClient {
  const clock = fakeClock();
  const counter = overrides.counter ?? createRequestCounter();
  const client = createHttpClient({
    source: 'src-a',
    logger: silentLogger,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...overrides,
    baseUrl,
    counter,
    http: testHttp(overrides.http),
  });
  return { client, counter, clock };
}

/** A debug-level logger whose lines the test can read back. */
export function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

type ClientOverrides = Parameters<typeof makeClient>[1];

/** Registers cleanup for one server and one client per test; returns the function that starts them. */
export function useLoopback() {
  let server: Loopback | undefined;
  let under: TestClient | undefined;
  afterEach(async () => {
    await under?.client.close();
    await server?.close();
    server = undefined;
    under = undefined;
  });
  return async (handler: Handler, options: ClientOverrides = {}) => {
    server = await startServer(handler);
    under = makeClient(server.url, options);
    return { server, ...under };
  };
}

/** Rejects if `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
