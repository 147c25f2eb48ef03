/**
 * `npm run bench -- scan-floor`: what a Palo Alto full scan costs with nothing but fetching, parsing and storing.
 * The same simulator child, dataset and HTTP client as `scan` (token, requests, JSON.parse, the page envelope's
 * zod check), then one prepared INSERT per record into the real, migrated `incidents` table (its indexes, and
 * closed_at as the scan's INSERT writes it) in transactions of FLOOR_BATCH rows: no record validation, mapping, SLA, hashing, outbox or reads.
 * Two passes in one process, each on a fresh simulator and store: `fetch` (fetch and parse only) and `store`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { createPaloAltoClient, type PaloAltoConfig } from '../adapters/dlp/paloalto/client.js';
import { resolveSeedConfig } from '../adapters/dlp/paloalto/config.js';
import { parseConfigObject } from '../src/app/sandbox.js';
import { CLOSED_STATUSES, type IncidentStatus } from '../src/domain/incident.js';
import { createRequestCounter } from '../src/http/counter.js';
import { createLogger } from '../src/log.js';
import { systemClock } from '../src/ports/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { round1 } from './scan-report.js';
import { startSimulatorChild } from './simulator-process.js';
import { benchVendor } from './vendors/index.js';

export const FLOOR_DEFAULTS = { incidents: 100_000, pageSize: 500, seed: 1 } as const;

/** Rows per transaction: large enough that commits are a small share, as a bulk load would do it. */
const FLOOR_BATCH = 10_000;

const INSERT = `INSERT INTO incidents (source, id, severity, status, raw_status, created_at, updated_at, policy, actor,
  channel, application, file_name, match_count, assignee, link, short_key, content_hash, sla_state, sla_deadline,
  first_seen_at, last_seen_at, last_seen_scan, closed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, '', NULL, NULL, ?, ?, 'floor', ?)`;

/** The seed API's words for the two values the table's CHECK constraints spell differently. */
const SEVERITY: Record<string, string> = { informational: 'info' };

export interface FloorOptions {
  incidents: number;
  pageSize: number;
  seed: number;
}

interface PassReport {
  rows: number;
  wallMs: number;
  cpuMs: number;
  simulatorCpuMs: number;
  requests: number;
}

export async function scanFloorBenchmark(options: FloorOptions) {
  const fetchOnly = await floorPass(options, false);
  const stored = await floorPass(options, true);
  const complete = fetchOnly.rows === options.incidents && stored.rows === options.incidents;
  return {
    report: {
      benchmark: 'scan-floor',
      vendor: 'paloalto',
      incidents: options.incidents,
      pageSize: options.pageSize,
      batchRows: FLOOR_BATCH,
      fetch: fetchOnly,
      store: stored,
      storeOnlyCpuMs: stored.cpuMs - fetchOnly.cpuMs,
      peakRssMb: round1(process.resourceUsage().maxRSS / 1024),
      checks: { complete },
      node: process.version,
      cpus: availableParallelism(),
    },
    exitCode: complete ? 0 : 1,
  };
}

async function floorPass(options: FloorOptions, store: boolean): Promise<PassReport> {
  const vendor = await benchVendor('paloalto');
  if (!vendor) throw new Error('no benchmark definition for paloalto');
  const child = startSimulatorChild();
  const tempDir = mkdtempSync(join(tmpdir(), 'dlp-floor-'));
  let db: Store | undefined;
  let client: ReturnType<typeof createPaloAltoClient> | undefined;
  try {
    const spec = { incidents: options.incidents, seed: options.seed, breachedShare: 0.3, anchorMs: Date.now() };
    const ready = await child.start({ vendor: 'paloalto', ...spec });
    const config = parseConfigObject(
      {
        store: { path: join(tempDir, 'floor.sqlite') },
        sources: [vendor.source(ready.sourceConfig, ready.facts, options.pageSize)],
      },
      ready.env,
      ADAPTERS,
    );
    const source = config.sources[0] as unknown as Parameters<typeof resolveSeedConfig>[0];
    const pan = resolveSeedConfig(source) as PaloAltoConfig;
    const logger = createLogger({ level: 'error', format: 'json' });
    client = createPaloAltoClient(pan, { logger, counter: createRequestCounter(), clock: systemClock });
    db = store ? openStore(config.store.path) : undefined;
    const insert = db?.db.prepare(INSERT);
    const now = Date.now();
    let batch: Record<string, unknown>[] = [];
    const flush = () => {
      if (!insert || !db) return;
      const rows = batch;
      db.transaction(() => {
        for (const r of rows) {
          const updated = typeof r.reviewed_at === 'string' ? Date.parse(r.reviewed_at) : null;
          const severity = String(r.severity);
          insert.run(
            pan.id,
            r.incident_id,
            SEVERITY[severity] ?? severity,
            r.status,
            r.status,
            Date.parse(String(r.timestamp)),
            updated,
            r.data_pattern_name ?? null,
            r.user ?? null,
            r.channel ?? null,
            r.application ?? null,
            r.file_name ?? null,
            r.match_count ?? null,
            now,
            now,
            CLOSED_STATUSES.has(r.status as IncidentStatus) ? (updated ?? now) : null,
          );
        }
      });
      batch = [];
    };

    let rows = 0;
    let requests = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const status of pan.listStatuses) {
      // The next page is requested while this one is stored, as the adapter does.
      let offset = 0;
      let next = client.listPage({ status, offset, limit: pan.pageSize });
      for (;;) {
        const page = await next;
        requests += 1;
        if (!page.ok) throw new Error(`listPage failed: ${page.error.code} ${page.error.message}`);
        const received = page.value.incidents.length;
        offset += received;
        const total = page.value.total ?? null;
        const exhausted = received < pan.pageSize || (total !== null && offset >= total);
        if (!exhausted) next = client.listPage({ status, offset, limit: pan.pageSize });
        rows += received;
        if (insert) {
          for (const raw of page.value.incidents) batch.push(raw as Record<string, unknown>);
          if (batch.length >= FLOOR_BATCH) flush();
        }
        if (exhausted) break;
      }
    }
    flush();
    const wallMs = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    const served = await child.counts();
    return {
      rows,
      wallMs,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      simulatorCpuMs: served.cpuMs,
      requests,
    };
  } finally {
    await client?.close();
    db?.close();
    await child.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
