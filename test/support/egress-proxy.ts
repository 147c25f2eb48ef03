import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** One request that reached the proxy: an absolute-URI request (plain http) or a CONNECT tunnel (https). */
export interface ProxiedRequest {
  kind: 'forward' | 'connect';
  /** The destination as `host:port`. */
  target: string;
  /** The Proxy-Authorization header the client sent, if any. */
  authorization: string | undefined;
}

export interface EgressProxy {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY / HTTPS_PROXY. */
  url: string;
  requests(): readonly ProxiedRequest[];
  /** How many requests (or tunnels) went to `target` (`host:port`). */
  count(target: string): number;
  close(): Promise<void>;
}

const withPort = (host: string, port: string, fallback: number) => `${host}:${port || fallback}`;

/**
 * A corporate egress proxy on loopback: forwards absolute-URI requests (`GET http://host:port/path`) and tunnels
 * CONNECT, recording each destination. A tunnel to a host it cannot reach is answered 502, as a real proxy does;
 * with `refuseTunnels` every CONNECT is answered 403 unopened, so a test naming a real host never reaches it.
 */
export async function startEgressProxy(options: { refuseTunnels?: boolean } = {}): Promise<EgressProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    seen.push({
      kind: 'forward',
      target: withPort(target.hostname, target.port, 80),
      authorization: req.headers['proxy-authorization'],
    });
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = forward(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/);
    seen.push({
      kind: 'connect',
      target: withPort(host, port, 443),
      authorization: req.headers['proxy-authorization'],
    });
    if (options.refuseTunnels) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port) || 443, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    count: (target) => seen.filter((r) => r.target === target).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
