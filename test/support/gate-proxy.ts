import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  /** `http://127.0.0.1:<port>`: put it where the upstream's origin was. */
  url: string;
  /** Requests received so far, held or forwarded. */
  received(): number;
  /** Lets every held request through, and every later one straight away. */
  open(): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP forwarder to `upstream` that holds every request until `open()`: the bot's first call to a vendor
 * waits as long as the test wants, with no timer, so "before the first scan finished" is a state a test can look at.
 */
export async function startGateProxy(upstream: string): Promise<GateProxy> {
  const target = new URL(upstream);
  let opened = false;
  let received = 0;
  const held: (() => void)[] = [];
  const server = createServer((incoming, outgoing) => {
    received += 1;
    const pass = () => {
      const upstreamRequest = forward(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstreamRequest.on('error', () => outgoing.destroy());
      incoming.pipe(upstreamRequest);
    };
    if (opened) pass();
    else held.push(pass);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    open() {
      opened = true;
      for (const pass of held.splice(0)) pass();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
