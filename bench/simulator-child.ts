/**
 * One vendor's simulator in its own process, so the benchmark's process measures the scanner alone (its peak
 * RSS and CPU carry no server work). Started by bench/scan.ts with child_process.fork; talks over the IPC
 * channel only (see protocol.ts) and exits when told to or when the parent goes away.
 */
import { performance } from 'node:perf_hooks';
import type { ServedDataset } from '../adapters/dlp/simulator-kit/bench-kit.js';
import type { ChildMessage, ParentMessage, StartMessage } from './protocol.js';
import { benchVendor } from './vendors/index.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

let served: ServedDataset<unknown> | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;

async function start(message: StartMessage): Promise<void> {
  const started = performance.now();
  const vendor = await benchVendor(message.vendor);
  if (!vendor) throw new Error(`no benchmark definition for vendor "${message.vendor}"`);
  const { type: _type, vendor: _name, ...spec } = message;
  served = await vendor.serve(spec);
  const entry = served.simulator.sourceConfig(`${vendor.vendor}-bench`);
  cpuAtReady = process.cpuUsage();
  send({
    type: 'ready',
    vendor: vendor.vendor,
    baseUrl: String(entry.baseUrl),
    sourceConfig: entry,
    env: served.simulator.env(),
    facts: served.facts,
    startupMs: Math.round(performance.now() - started),
  });
}

async function stop(): Promise<void> {
  await served?.simulator.close().catch(() => undefined);
  process.exit(0);
}

process.on('message', (raw: ParentMessage) => {
  switch (raw.type) {
    case 'start':
      start(raw).catch((error: unknown) => {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      });
      return;
    case 'counts': {
      const counts = served?.requests() ?? { total: 0, token: 0, byRoute: {} };
      const cpu = process.cpuUsage(cpuAtReady);
      send({ type: 'counts', ...counts, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
      return;
    }
    case 'stop':
      void stop();
      return;
  }
});

// An orphaned simulator would keep a port open and burn CPU on a shared machine: leave with the parent.
process.on('disconnect', () => void stop());
