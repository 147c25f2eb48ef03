import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VanishingVendor {
  /** `http://127.0.0.1:<port>` plus the upstream's path: put it where the source's baseUrl was. */
  url: string;
  /** From now on the listing is empty and every get-by-id answers 404 (the glitch measured in issue 14). */
  glitch(on: boolean): void;
  /** This incident is gone from the listing and answers 404, as one deleted in the vendor console would. */
  remove(id: string): void;
  /** Every listing page's envelope from now on goes through `reshape` (records stay as the simulator sent them). */
  rewritePages(reshape: (page: Record<string, unknown>) => Record<string, unknown>): void;
  /** Ids of the incidents listings returned so far (after any removal). */
  listed(): string[];
  close(): Promise<void>;
}

const notFound = JSON.stringify({ error: 'not found' });

/**
 * A loopback forwarder in front of a Palo Alto simulator's API (`/incidents` and `/incidents/<id>`) that can make
 * incidents disappear: every one at once (a vendor glitch) or one by one (a real deletion); it can also rewrite
 * each page's envelope, as a mock generating schema-valid but arbitrary values would. Listings it filters must
 * fit one page, since a shorter page ends the adapter's paging.
 */
export async function startVanishingVendor(
  upstreamBaseUrl: string,
  /** The listing route under the base URL (another vendor's, for `rewritePages`). */
  listingRoute = 'GET /incidents',
): Promise<VanishingVendor> {
  const target = new URL(upstreamBaseUrl);
  const prefix = target.pathname.replace(/\/$/, '');
  let glitching = false;
  const removed = new Set<string>();
  const listed = new Set<string>();
  let reshape = (page: Record<string, unknown>) => page;
  const server = createServer((incoming, outgoing) => {
    const path = new URL(incoming.url ?? '/', 'http://x').pathname.slice(prefix.length);
    const byId = /^\/incidents\/([^/]+)$/.exec(path);
    const id = byId?.[1] ? decodeURIComponent(byId[1]) : null;
    if (incoming.method === 'GET' && id !== null && (glitching || removed.has(id))) {
      outgoing.writeHead(404, { 'content-type': 'application/json' }).end(notFound);
      return;
    }
    const listing = `${incoming.method} ${path}` === listingRoute;
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host, 'accept-encoding': 'identity' },
      },
      (answer) => {
        if (!listing || answer.statusCode !== 200) {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const page = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          // Only the v4 shape (`incidents`, `total`) is filtered; another vendor's page is only reshaped.
          if (!Array.isArray(page.incidents)) {
            outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reshape(page)));
            return;
          }
          const all = page.incidents as { incident_id?: unknown }[];
          const kept = glitching ? [] : all.filter((r) => !removed.has(String(r.incident_id)));
          for (const r of kept) listed.add(String(r.incident_id));
          const total = typeof page.total === 'number' ? page.total - (all.length - kept.length) : page.total;
          outgoing
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(reshape({ ...page, total, incidents: kept })));
        });
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    glitch: (on) => {
      glitching = on;
    },
    remove: (id) => removed.add(id),
    rewritePages: (next) => {
      reshape = next;
    },
    listed: () => [...listed],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
