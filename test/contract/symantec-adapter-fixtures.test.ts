import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type MapContext, mapIncident } from '../../adapters/dlp/symantec/map.js';
import {
  SymComponentMatches,
  SymEditableAttributes,
  SymIncidentRow,
  SymPatchResponse,
  SymQueryResponse,
  SymStaticAttributes,
  SymStatuses,
} from '../../adapters/dlp/symantec/schema.js';
import { catalogOf } from '../../adapters/dlp/symantec/statuses.js';
import { Incident } from '../../src/domain/incident.js';

const FIXTURES = new URL('../../adapters/dlp/symantec/fixtures/', import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const SCHEMAS = [
  SymQueryResponse,
  SymStatuses,
  SymStaticAttributes,
  SymEditableAttributes,
  SymPatchResponse,
  SymComponentMatches,
];

function context(timeZone = 'UTC'): MapContext {
  return {
    source: 'sym-fixture',
    catalog: catalogOf(SymStatuses.parse(read('statuses.json'))),
    config: {
      timeZone,
      assignment: { type: 'dataOwner' },
      falsePositiveStatus: 'False Positive',
      writeBack: { enabled: false, status: 'SLA Breach', note: true },
      baseUrl: 'https://enforce.example.test/ProtectManager/webservices/v2',
    },
  };
}
const link = (id: string) =>
  `https://enforce.example.test/ProtectManager/IncidentDetail.do?value(variable_1)=incident.id&value(operator_1)=incident.id_in&value(operand_1)=${id}`;

/** Every fixture is classified here; an unclassified file fails the suite rather than going unchecked. */
const FIXTURE_CHECKS: Record<string, (body: unknown) => void> = {
  'query-incidents-page.json': (body) => {
    const rows = SymQueryResponse.parse(body).incidents.map((raw) => SymIncidentRow.parse(raw));
    const editable = SymEditableAttributes.parse(read('editable-attributes.json'));
    const incidents = rows.map((row, i) => Incident.parse(mapIncident(row, i === 0 ? editable : null, context())));
    expect(incidents).toEqual([
      {
        source: 'sym-fixture',
        id: '5012',
        severity: 'high',
        status: 'new',
        rawStatus: 'New',
        createdAt: new Date('2024-05-02T08:14:05.120Z'),
        updatedAt: null,
        policy: 'PCI - Card Numbers',
        actor: 'user042@example.com',
        channel: 'NETWORK',
        application: 'HTTP',
        fileName: null,
        matchCount: 4,
        assignee: 'owner07@example.com',
        link: link('5012'),
      },
      expect.objectContaining({ id: '2147523338', severity: 'low', status: 'open', rawStatus: 'SLA Breach' }),
      expect.objectContaining({
        id: '5013',
        severity: 'info',
        status: 'in_review',
        rawStatus: 'In Process',
        createdAt: new Date('2024-05-02T10:30:59.700Z'),
        policy: null,
        actor: null,
        matchCount: null,
      }),
    ]);
    expect(incidents[1]?.policy).toBe('<!channel> Source Code Leakage');
  },
  'statuses.json': (body) => {
    const catalog = catalogOf(SymStatuses.parse(body));
    expect([
      catalog.nameOf(1),
      catalog.idOf('new'),
      catalog.idOf('false positive'),
      catalog.idOf('sla breach'),
    ]).toEqual(['New', 1, 43, 161]);
  },
  'static-attributes.json': (body) => {
    expect(SymStaticAttributes.parse(body).infoMap).toMatchObject({
      creationDate: '2024-05-02T08:14:05.12',
      matchCount: 4,
    });
  },
  'editable-attributes.json': (body) => {
    expect(SymEditableAttributes.parse(body).infoMap).toMatchObject({
      incidentStatusId: 1,
      dataOwnerEmail: 'owner07@example.com',
    });
  },
  'patch-response.json': (body) => expect(SymPatchResponse.parse(body).updatedIncidentIds).toEqual([5012]),
  'component-matches.json': (body) => {
    const segments = SymComponentMatches.parse(body).flatMap((c) =>
      (c.violations ?? []).flatMap((v) => v.violationSegments ?? []),
    );
    expect(segments.filter((s) => s.segmentType === 'VIOLATING_CONTENT')).toHaveLength(1);
  },
  // Error bodies must never pass as data: a 200 carrying one would then look like an empty result.
  'error-400.json': expectNoDataShape,
  'error-401.json': expectNoDataShape,
};

function expectNoDataShape(body: unknown): void {
  expect(Object.keys(body as object).sort()).toEqual(['i18nKey', 'message', 'status']);
  for (const schema of SCHEMAS) expect(schema.safeParse(body).success).toBe(false);
}

describe('Symantec adapter: fixtures', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

  it('should classify every fixture file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((name) => !(name in FIXTURE_CHECKS))).toEqual([]);
    expect(Object.keys(FIXTURE_CHECKS).filter((name) => !files.includes(name))).toEqual([]);
  });

  it.each(Object.keys(FIXTURE_CHECKS))('should parse %s with the adapter schemas', (name) => {
    FIXTURE_CHECKS[name]?.(read(name));
  });

  it('should convert the naive creation date with the configured zone of the Enforce server', () => {
    const row = SymIncidentRow.parse(SymQueryResponse.parse(read('query-incidents-page.json')).incidents[0]);
    expect(mapIncident(row, null, context('Asia/Tokyo'))?.createdAt).toEqual(new Date('2024-05-01T23:14:05.120Z'));
    expect(mapIncident(row, null, context('America/Los_Angeles'))?.createdAt).toEqual(
      new Date('2024-05-02T15:14:05.120Z'),
    );
    expect(mapIncident({ ...row, creationDate: '2024-02-30T08:00:00' }, null, context())).toBeNull();
  });

  it('should accept loose extra fields and reject rows missing what the mapper needs', () => {
    const base = { incidentId: 1, creationDate: '2024-05-02T08:14:05', severityId: 2, incidentStatusId: 1 };
    expect(SymIncidentRow.safeParse({ ...base, somethingNew: { nested: true } }).success).toBe(true);
    for (const broken of [
      { ...base, incidentId: undefined },
      { ...base, severityId: 5 },
      { ...base, creationDate: '2024-05-02 08:14:05' },
      { ...base, matchCount: -1 },
      { ...base, incidentId: '12abc' },
    ]) {
      expect(SymIncidentRow.safeParse(broken).success, JSON.stringify(broken)).toBe(false);
    }
  });
});
