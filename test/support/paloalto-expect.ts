import { paloalto } from '../../adapters/dlp/paloalto/index.js';
import type { PaloAltoSimulator } from '../../adapters/dlp/paloalto/simulator.js';
import { type Incident, TEXT_LIMITS } from '../../src/domain/incident.js';
import type { IncidentSource } from '../../src/ports/index.js';
import { closeAfterAll, createSourceFor, type SourceOptions } from './adapters.js';
import type { Json } from './paloalto.js';

/** What the Palo Alto adapter should make of a raw seed-API record, written out independently of map.ts. */

const SEVERITY: Record<string, Incident['severity']> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'info',
};
const STATUS: Record<string, Incident['status']> = {
  open: 'open',
  in_review: 'in_review',
  resolved: 'resolved',
  dismissed: 'dismissed',
};

export const CONSOLE_URL = 'https://console.example.test/dlp/incidents/{id}?tab=overview';

export function expectedIncident(raw: Json, source: string, consoleUrl?: string): Incident {
  // The dataset's text has no surrogate pairs, so a plain slice is the clip.
  const text = (key: string, limit: number) => (typeof raw[key] === 'string' ? raw[key].slice(0, limit) : null);
  const id = String(raw.incident_id);
  return {
    source,
    id,
    severity: SEVERITY[String(raw.severity)] ?? ('?' as never),
    status: STATUS[String(raw.status)] ?? ('?' as never),
    rawStatus: String(raw.status),
    createdAt: new Date(String(raw.timestamp)),
    updatedAt: raw.reviewed_at ? new Date(String(raw.reviewed_at)) : null,
    policy: text('data_pattern_name', TEXT_LIMITS.policy),
    actor: text('user', TEXT_LIMITS.actor),
    channel: text('channel', TEXT_LIMITS.channel),
    application: text('application', TEXT_LIMITS.application),
    fileName: text('file_name', TEXT_LIMITS.fileName),
    matchCount: typeof raw.match_count === 'number' ? raw.match_count : null,
    assignee: null,
    link: consoleUrl ? consoleUrl.replace('{id}', encodeURIComponent(id)) : null,
  };
}

export const idsOf = (records: readonly (Json | Incident)[]) =>
  records.map((r) => String('incident_id' in r ? r.incident_id : r.id));

export const sortedIds = (records: readonly (Json | Incident)[]) => idsOf(records).sort();

/** Every source option but the id, which is always `pan-test`. */
export type PanSourceOptions = Omit<SourceOptions, 'id'>;

/** Registers an afterAll that closes every source the returned factory built against a simulator. */
export function usePanSources(): (sim: PaloAltoSimulator, options?: PanSourceOptions) => IncidentSource {
  const track = closeAfterAll();
  return (sim, options = {}) => track(createSourceFor(paloalto, sim, { id: 'pan-test', ...options }));
}
