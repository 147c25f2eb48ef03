import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Incident } from '../../../src/domain/incident.js';
import type { AuditEvent, UpsertMeta } from '../../../src/store/index.js';

export const T0 = new Date('2025-03-01T10:00:00.000Z');

export const minutes = (n: number, from: Date = T0) => new Date(from.getTime() + n * 60_000);

/** A fully populated incident; parsed so the fixture itself can never drift from the canonical shape. */
export function incident(overrides: Partial<Incident> = {}): Incident {
  return Incident.parse({
    source: 'pan-prod',
    id: 'INC-1',
    severity: 'high',
    status: 'new',
    rawStatus: 'New',
    createdAt: T0,
    updatedAt: minutes(5),
    policy: 'PCI cards',
    actor: 'bob@corp.example',
    channel: 'email',
    application: 'Outlook',
    fileName: 'cards.xlsx',
    matchCount: 12,
    assignee: 'alice@corp.example',
    link: 'https://console.example/incidents/INC-1',
    ...overrides,
  });
}

/** Every nullable field null. */
export function bareIncident(overrides: Partial<Incident> = {}): Incident {
  return incident({
    updatedAt: null,
    policy: null,
    actor: null,
    channel: null,
    application: null,
    fileName: null,
    matchCount: null,
    assignee: null,
    link: null,
    ...overrides,
  });
}

export function meta(overrides: Partial<UpsertMeta> = {}): UpsertMeta {
  return {
    contentHash: 'a'.repeat(64),
    slaState: 'ok',
    slaDeadline: minutes(240),
    seenAt: minutes(10),
    scanId: 'scan-1',
    ...overrides,
  };
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The audit hash as an attacker with sqlite3 and the documented formula would compute it; written
 * independently of src/store so a test also pins the formula itself.
 */
export function forgeHash(row: {
  seq: number;
  at: number;
  actor: string;
  surface: string;
  action: string;
  source: string | null;
  incident_id: string | null;
  outcome: string;
  correlation_id: string | null;
  detail: string;
  prev_hash: string;
}): string {
  const fields = [
    row.seq,
    row.at,
    row.actor,
    row.surface,
    row.action,
    row.source,
    row.incident_id,
    row.outcome,
    row.correlation_id,
    JSON.parse(row.detail),
  ];
  return createHash('sha256')
    .update(`${row.prev_hash}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

/** A typical click: alice assigns an incident from Slack. */
export function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    at: minutes(0),
    actor: 'slack:U123 alice@corp.example',
    surface: 'slack',
    action: 'incident.assign',
    source: 'pan-prod',
    incidentId: 'INC-1',
    outcome: 'ok',
    correlationId: 'click-1a2b3c4d',
    detail: { to: 'bob@corp.example', recordedIn: 'vendor' },
    ...overrides,
  };
}
