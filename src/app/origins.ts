import { createHash } from 'node:crypto';
import type { SourceConfig } from '../config/schema.js';
import type { AdapterDefinition, SourceEndpoint } from '../ports/index.js';
import type { SourceOrigin, Store } from '../store/index.js';
import { StartupError } from './startup-error.js';

/** The sandbox's simulators listen on a new port each start; every one of them is the same story. */
export const SANDBOX_ORIGIN = { fingerprint: 'sandbox', endpoint: 'the built-in sandbox simulator' } as const;

/** Where a configured source reads from now, in the form the store keeps. */
export type ExpectedOrigin = Omit<SourceOrigin, 'recordedAt'>;

/** A configured source whose stored incidents, cards and watermark came from another endpoint. */
export interface MovedSource {
  source: string;
  was: string;
  now: string;
}

export interface OriginCheck {
  moved: MovedSource[];
  /** Endpoints to record before the next scan: sources new to the store, or corrected before anything was stored. */
  toRecord: ExpectedOrigin[];
  /** Sources the store holds data for that the config does not name. */
  orphans: string[];
}

/** Scheme, host, port and path, without credentials, query or a trailing slash: how people and the check see it. */
function normaliseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

function describeEndpoint(endpoint: SourceEndpoint): string {
  const url = normaliseUrl(endpoint.url);
  return endpoint.account ? `${url} (${endpoint.account})` : url;
}

/** The origin of each configured source: its adapter's endpoint, or the sandbox's simulator. */
export function expectedOrigins(
  sources: readonly SourceConfig[],
  adapters: readonly AdapterDefinition[],
  kind: 'file' | 'sandbox',
): ExpectedOrigin[] {
  return sources.map((config) => {
    if (kind === 'sandbox') return { source: config.id, vendor: config.vendor, ...SANDBOX_ORIGIN };
    const adapter = adapters.find((a) => a.vendor === config.vendor);
    if (!adapter) throw new Error(`no adapter registered for vendor "${config.vendor}"`);
    const endpoint = describeEndpoint(adapter.endpoint(config));
    const fingerprint = createHash('sha256').update(`${config.vendor}\n${endpoint}`).digest('hex');
    return { source: config.id, vendor: config.vendor, fingerprint, endpoint };
  });
}

/** Compares the config with what the store recorded; reads only. */
export function checkOrigins(store: Store, expected: readonly ExpectedOrigin[]): OriginCheck {
  const check: OriginCheck = { moved: [], toRecord: [], orphans: [] };
  for (const origin of expected) {
    const stored = store.origins.get(origin.source);
    // With nothing stored yet (a first scan that failed), a corrected endpoint is simply the one to record.
    if (!stored || (stored.fingerprint !== origin.fingerprint && !store.origins.holdsData(origin.source))) {
      check.toRecord.push(origin);
    } else if (stored.fingerprint !== origin.fingerprint) {
      check.moved.push({ source: origin.source, was: stored.endpoint, now: origin.endpoint });
    }
  }
  const configured = new Set(expected.map((o) => o.source));
  check.orphans = store.origins.knownSources().filter((id) => !configured.has(id));
  return check;
}

/** Adopts the configured endpoint of sources the store has no origin for (a new source, or a store from before). */
export function recordOrigins(store: Store, origins: readonly ExpectedOrigin[], at: Date): void {
  store.transaction(() => {
    for (const origin of origins) store.origins.record({ ...origin, recordedAt: at });
  });
}

/**
 * Before anything scans: stops with every configured source whose stored data came from another endpoint, and
 * records the endpoint of sources the store meets for the first time.
 */
export function requireOrigins(store: Store, expected: readonly ExpectedOrigin[], storeLabel: string, at: Date): void {
  const check = checkOrigins(store, expected);
  if (check.moved.length > 0) {
    throw new StartupError(check.moved.map((moved) => movedSourceMessage(moved, storeLabel)).join('\n'));
  }
  recordOrigins(store, check.toRecord, at);
}

/** Names the source, both endpoints and the two ways out; `storePath` says which database holds the old data. */
export function movedSourceMessage(moved: MovedSource, storePath: string): string {
  return [
    `source "${moved.source}" in ${storePath} holds incidents and a scan watermark from ${moved.was},`,
    `but the config now reads it from ${moved.now}. Scanning on from the old watermark would miss incidents and mix`,
    `the two. Run \`dlp-bot store forget ${moved.source}\` to start that source afresh (the audit trail is kept),`,
    `or give the new endpoint its own source id.`,
  ].join(' ');
}

/** One line for commands that leave out sources the config no longer names. */
export function leftOutLine(orphans: readonly string[]): string {
  const list = orphans.join(', ');
  const one = orphans.length === 1;
  return (
    `Left out: ${list} (in the store but not in the config${one ? '' : '; each'}; ` +
    `\`dlp-bot store forget ${one ? orphans[0] : '<source>'}\` removes ${one ? 'it' : 'one'}).`
  );
}
