/**
 * The Palo Alto simulator in its own process, so the benchmark's process measures the scanner alone
 * (its peak RSS and CPU carry no server work). Started by bench/scan.ts with child_process.fork; talks
 * over the IPC channel only (see protocol.ts) and exits when told to or when the parent goes away.
 */
import { performance } from 'node:perf_hooks';
import { generatePaloAltoDataset } from '../adapters/dlp/paloalto/dataset.js';
import { STATUSES } from '../adapters/dlp/paloalto/simulator/catalog.js';
import { type PaloAltoSimulator, startPaloAltoSimulator } from '../adapters/dlp/paloalto/simulator.js';
import type { ChildMessage, PanListStatus, ParentMessage, StartMessage } from './protocol.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * Records per status, from a second copy of the dataset generated with the same options. Generation is
 * deterministic in (seed, incidents, anchor, breachedShare), and counting this way sends no request the
 * benchmark would then have to subtract from the simulator's own request log.
 */
function countStatuses(start: StartMessage): Record<PanListStatus, number> {
  const dataset = generatePaloAltoDataset({
    seed: start.seed,
    incidents: start.incidents,
    anchor: new Date(start.anchorMs),
    breachedShare: start.breachedShare,
    arrivalsPerHour: 0,
  });
  const counts: Record<PanListStatus, number> = { open: 0, in_review: 0, resolved: 0, dismissed: 0 };
  for (let position = 0; position < dataset.size(); position += 1) {
    const status = STATUSES[dataset.statusAt(position)];
    if (status !== undefined) counts[status] += 1;
  }
  return counts;
}

let simulator: PaloAltoSimulator | undefined;
let cpuAtReady: NodeJS.CpuUsage | undefined;

async function start(message: StartMessage): Promise<void> {
  const started = performance.now();
  simulator = await startPaloAltoSimulator({
    seed: message.seed,
    incidents: message.incidents,
    anchor: new Date(message.anchorMs),
    breachedShare: message.breachedShare,
    arrivalsPerHour: 0,
    // A token lives far longer than any run, so exactly one token request is expected.
    tokenTtlSec: 3_600,
  });
  const statusCounts = countStatuses(message);
  cpuAtReady = process.cpuUsage();
  send({
    type: 'ready',
    baseUrl: simulator.baseUrl,
    sourceConfig: simulator.sourceConfig('pan-bench'),
    env: simulator.env(),
    statusCounts,
    openIncidentCount: simulator.openIncidentCount(),
    startupMs: Math.round(performance.now() - started),
  });
}

async function stop(): Promise<void> {
  await simulator?.close().catch(() => undefined);
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
      const counts = simulator?.requests() ?? { total: 0, token: 0, byRoute: {} };
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
